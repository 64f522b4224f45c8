/**
 * Benchmark of --backend local on a full-size DistilBERT-base (6 layers,
 * hidden 768, 12 heads, FFN 3072, vocabulary 30522, the quantized export's
 * int8 operators) with random weights, generated into a temporary folder
 * (speed does not depend on the weights' values). Texts per second on one
 * core and on all cores — worker threads vs ONNX Runtime's intra-op threads —
 * for short texts (≤ 64 tokens) and long ones (≥ 256 tokens), beside Workers
 * AI's rate limit and the embedded model; peak RSS of each configuration's
 * process. Best of three interleaved rounds.
 *
 *   npm run bench -- local
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';
import type { ThreadPlan } from '../src/scoring/local/threads.js';
import { loadTokenizer } from '../src/tokenizer/index.js';
import { REPO_ROOT, runNode } from './support.js';

const WORKERS_AI_PER_SECOND = 2000 / 60;
const SHORT_TEXTS = 240;
const LONG_TEXTS = 48;
const ROUNDS = 3;
const shared = path.resolve(REPO_ROOT, '../shared/data/reviews');
const tokenizer = loadTokenizer();

/** Real reviews when ../shared is there (app reviews for short, Yelp for long), else generated ones. */
function texts(): { short: string[]; long: string[]; source: string } {
  const tokens = (t: string): number => tokenizer.countTokens(t);
  const fromCsv = (file: string, column: string): string[] =>
    (parse(readFileSync(path.join(shared, file)), { columns: true, bom: true }) as Array<Record<string, string>>).map((r) => r[column] ?? '');
  if (existsSync(shared)) {
    const short = fromCsv('chatgpt-app-reviews.csv', 'review').filter((t) => t.trim() && tokens(t) <= 64).slice(0, SHORT_TEXTS);
    const long = fromCsv('yelp-reviews-4k.csv', 'text').filter((t) => tokens(t) >= 256).slice(0, LONG_TEXTS).map((t) => tokenizer.fitToWindow(t).text);
    return { short, long, source: 'chatgpt-app-reviews.csv (≤ 64 tokens), yelp-reviews-4k.csv (≥ 256 tokens, cut to 512)' };
  }
  const words = 'the food was great but service slow and the room felt small yet clean overall we would come back'.split(' ');
  const sentence = (i: number, n: number): string => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
  return {
    short: Array.from({ length: SHORT_TEXTS }, (_, i) => sentence(i, 8 + (i % 30))),
    long: Array.from({ length: LONG_TEXTS }, (_, i) => sentence(i, 260 + (i % 200))),
    source: 'generated (../shared absent)',
  };
}

/** Runs one configuration in a child process (bench/local-measure.ts) so its peak RSS is its own. */
async function measure(modelDir: string, textsFile: string, threads: ThreadPlan, batch: number | undefined): Promise<Measured> {
  const script = path.join(REPO_ROOT, 'dist/bench/local-measure.js');
  const args = [script, modelDir, textsFile, String(threads.workers), String(threads.intraOpThreads), ...(batch ? [String(batch)] : [])];
  const result = await runNode(args);
  if (result.code !== 0) throw new Error(`local-measure failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measured;
}

interface Measured {
  perSecond: number;
  textsPerCall: number;
  peakRssMb: number;
}

export async function run(): Promise<Record<string, unknown>> {
  const cores = os.availableParallelism();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-local-'));
  try {
    let started = performance.now();
    const made = await runNode([path.join(REPO_ROOT, 'dist/scripts/make-distilbert-onnx.js'), '--size', 'full', '--out', dir]);
    if (made.code !== 0) throw new Error(`generating the model failed: ${made.stderr}`);
    console.log(`${made.stdout.trim()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { short, long, source } = texts();
    const shortFile = path.join(dir, 'short.json');
    const longFile = path.join(dir, 'long.json');
    writeFileSync(shortFile, JSON.stringify(short));
    writeFileSync(longFile, JSON.stringify(long));
    const meanTokens = (set: string[]): number => Math.round(set.reduce((s, t) => s + tokenizer.countTokens(t), 0) / set.length);
    console.log(`texts: ${short.length} short (mean ${meanTokens(short)} tokens), ${long.length} long (mean ${meanTokens(long)} tokens) from ${source}`);

    const embedded = loadEmbeddedModel();
    started = performance.now();
    for (let pass = 0; pass < 20; pass++) for (const t of short) embedded.scoreText(t);
    const embeddedPerSecond = Math.round((20 * short.length) / ((performance.now() - started) / 1000));

    const configs: Array<{ name: string; threads: ThreadPlan; batch?: number }> = [
      { name: '1 core', threads: { workers: 1, intraOpThreads: 1 } },
      { name: `${cores} cores: ${cores} workers × 1 thread`, threads: { workers: cores, intraOpThreads: 1 } },
      { name: `${cores} cores: 1 worker × ${cores} intra-op threads`, threads: { workers: 1, intraOpThreads: cores } },
      { name: `${cores} cores: ${cores} workers, forced batches of 32`, threads: { workers: cores, intraOpThreads: 1 }, batch: 32 },
    ];
    // Rounds interleave the configurations, and each keeps its best round: on a shared machine a burst
    // of other work then slows one round, not one configuration.
    const best = new Map<string, { short: Measured; long: Measured }>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const config of configs) {
        const s = await measure(dir, shortFile, config.threads, config.batch);
        const l = await measure(dir, longFile, config.threads, config.batch);
        console.log(`round ${round}  ${config.name.padEnd(48)} short ${String(s.perSecond).padStart(7)}/s   long ${String(l.perSecond).padStart(6)}/s`);
        const previous = best.get(config.name);
        best.set(config.name, {
          short: previous && previous.short.perSecond >= s.perSecond ? previous.short : s,
          long: previous && previous.long.perSecond >= l.perSecond ? previous.long : l,
        });
      }
    }
    const rows: Record<string, unknown> = {};
    console.log(`best of ${ROUNDS} rounds:`);
    for (const config of configs) {
      const { short: s, long: l } = best.get(config.name) as { short: Measured; long: Measured };
      rows[config.name] = { short: s, long: l };
      console.log(
        `${config.name.padEnd(48)} short ${String(s.perSecond).padStart(7)}/s   long ${String(l.perSecond).padStart(6)}/s   ` +
          `texts per call ${s.textsPerCall}   peak RSS ${s.peakRssMb} / ${l.peakRssMb} MB`,
      );
    }
    console.log(`Workers AI limit ${WORKERS_AI_PER_SECOND.toFixed(1)}/s · embedded model ${embeddedPerSecond}/s on the short texts`);
    return { cores, source, configs: rows, workersAiPerSecond: WORKERS_AI_PER_SECOND, embeddedPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
