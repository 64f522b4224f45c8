/**
 * `report` on large scored files: peak RSS (from /usr/bin/time -v) and time of
 * the real CLI on a 256 MB and a 1 GB scored CSV with --by (20,000 distinct
 * products, over the 10,000 cap), --date (two years: weekly) and --rating.
 * The aim: under 200 MB at 1 GB, and flat.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng } from '../src/model/rng.js';
import { CLI, mb, randomWords, writeGeneratedCsv } from './support.js';

/** A deterministic scored CSV as `score` writes it, of about `bytes` bytes. */
export async function writeScoredCsv(file: string, bytes: number): Promise<number> {
  const header = 'id,product,date,stars,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
  const start = Date.UTC(2025, 0, 1);
  const random = createRng(777);
  return writeGeneratedCsv(file, bytes, header, 777, (rows, next) => {
    const words = randomWords(next);
    // Skewed group sizes: a few large products, a long tail up to 20,000.
    // mulberry32 here: the shared generator's cycles are too short to reach 20,000 products.
    const product = `P${Math.floor(random() ** 3 * 20_000)}`;
    const date = new Date(start + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10);
    const stars = 1 + Math.floor(random() * 5);
    const positive = Math.floor(random() * 100_000) / 100_000;
    const cells = rows % 97 === 3 ? ',,,,empty_text: the text is empty or only white space; not sent' : `${positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE'},${positive},${1 - positive},,`;
    return `${rows},${product},${date},${stars},"${words.join(' ')}",${cells}\n`;
  });
}

/** Runs the CLI under /usr/bin/time -v; returns its peak RSS and wall time. */
function timed(args: string[]): Promise<{ code: number | null; maxRssBytes: number; seconds: number; cpuSeconds: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('/usr/bin/time', ['-v', process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
      // CPU time says more than wall time on a machine shared with other work.
      const cpu = ['User', 'System'].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? NaN), 0);
      resolve({ code, maxRssBytes: kb * 1024, seconds: (Date.now() - started) / 1000, cpuSeconds: cpu, stdout, stderr });
    });
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-report-'));
  const figures: Record<string, unknown> = {};
  try {
    for (const size of [256, 1024]) {
      const file = path.join(dir, `scored-${size}mb.csv`);
      const rows = await writeScoredCsv(file, size * 1024 * 1024);
      const html = path.join(dir, `report-${size}.html`);
      const result = await timed(['report', file, '--by', 'product', '--date', 'date', '--rating', 'stars', '--text-column', 'review', '-o', html]);
      if (result.code !== 0) throw new Error(`report failed (exit ${result.code}): ${result.stderr.slice(0, 2000)}`);
      const perCpuSecond = Math.round(rows / result.cpuSeconds);
      figures[`${size}MB`] = { rows, peakRss: mb(result.maxRssBytes), seconds: Number(result.seconds.toFixed(1)), cpuSeconds: Number(result.cpuSeconds.toFixed(1)), rowsPerCpuSecond: perCpuSecond };
      console.log(
        `report on a ${size} MB scored CSV (${rows} rows): peak RSS ${mb(result.maxRssBytes)}, ${result.seconds.toFixed(1)} s wall, ${result.cpuSeconds.toFixed(1)} s CPU (${perCpuSecond} rows per CPU second); aim < 200 MB at 1 GB`,
      );
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
