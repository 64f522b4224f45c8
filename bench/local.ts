/**
 * Benchmark of --backend local on a full-size DistilBERT-base (6 layers,
 * hidden 768, 12 heads, FFN 3072, vocabulary 30522, the quantized export's
 * int8 operators) with random weights, generated into a temporary folder
 * (speed does not depend on the weights' values). Texts per second on one
 * core and on all cores — worker threads vs ONNX Runtime's intra-op threads —
 * for short texts (≤ 64 tokens) and long ones (≥ 256 tokens), beside Workers
 * AI's rate limit and the embedded model; peak RSS of the process.
 *
 *   npm run bench -- local
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { FULL_SIZE } from '../scripts/onnx/distilbert-graph.js';
import { writeModelFolder } from '../scripts/make-distilbert-onnx.js';
import { createLogger } from '../src/log.js';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';
import { createLocalScorer } from '../src/scoring/local/local-scorer.js';
import type { ThreadPlan } from '../src/scoring/local/threads.js';
import { loadTokenizer } from '../src/tokenizer/index.js';
import { REPO_ROOT } from './support.js';

const WORKERS_AI_PER_SECOND = 2000 / 60;
const SHORT_TEXTS = 240;
const LONG_TEXTS = 48;
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

async function measure(modelDir: string, threads: ThreadPlan, batch: number | undefined, set: string[]): Promise<{ perSecond: number; batch: number }> {
  const scorer = await createLocalScorer({ modelDir, origin: 'flag', device: 'cpu', threads, batch, log: createLogger('silent') });
  try {
    await Promise.all(set.slice(0, 8).map((t) => scorer.score(t))); // warm-up
    const started = performance.now();
    await Promise.all(set.map((t) => scorer.score(t)));
    return { perSecond: Math.round((set.length / ((performance.now() - started) / 1000)) * 10) / 10, batch: scorer.batching.texts };
  } finally {
    await scorer.close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const cores = os.availableParallelism();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-local-'));
  try {
    let started = performance.now();
    const bytes = writeModelFolder(dir, FULL_SIZE);
    console.log(`full-size model generated: ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { short, long, source } = texts();
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
    const rows: Record<string, unknown> = {};
    for (const config of configs) {
      const s = await measure(dir, config.threads, config.batch, short);
      const l = await measure(dir, config.threads, config.batch, long);
      rows[config.name] = { shortPerSecond: s.perSecond, longPerSecond: l.perSecond, textsPerCall: s.batch };
      console.log(`${config.name.padEnd(48)} short ${String(s.perSecond).padStart(7)}/s   long ${String(l.perSecond).padStart(6)}/s   (texts per call ${s.batch})`);
    }
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(`Workers AI limit ${WORKERS_AI_PER_SECOND.toFixed(1)}/s · embedded model ${embeddedPerSecond}/s on the short texts · peak RSS ${peakRssMb} MB`);
    return { cores, source, configs: rows, workersAiPerSecond: WORKERS_AI_PER_SECOND, embeddedPerSecond, peakRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
