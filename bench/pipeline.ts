/**
 * The job's own overhead, with an instant scorer:
 * - rows/s through the whole pipeline next to a plain csv-parse → csv-stringify
 *   pass-through of the same file, in the same run (ratio); the same for JSONL, next to
 *   a plain line-by-line JSON.parse → JSON.stringify pass-through (passthrough-jsonl.ts);
 * - peak RSS as the input grows (256 MB, 512 MB, 1 GB): it must stay flat;
 * - time from process start to the first request when resuming near the end of 1 GB.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, mb, runNode, writeSyntheticCsv, writeSyntheticJsonl } from './support.js';

const JOB = path.join(REPO_ROOT, 'dist/bench/instant-job.js');
const PASSTHROUGH = path.join(REPO_ROOT, 'dist/bench/passthrough.js');
const PASSTHROUGH_JSONL = path.join(REPO_ROOT, 'dist/bench/passthrough-jsonl.js');

interface JobFigures {
  exitCode?: number;
  rows?: number;
  seconds?: number;
  maxRssBytes?: number;
  firstRequestSinceStartMs?: number;
}

async function child(script: string, args: string[]): Promise<JobFigures> {
  const result = await runNode([script, ...args]);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`${path.basename(script)} failed (exit ${result.code}): ${result.stderr.slice(0, 2000)}`);
  return JSON.parse(line) as JobFigures;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-'));
  const figures: Record<string, unknown> = {};
  try {
    // Throughput, side by side on one file.
    const small = path.join(dir, 'in-100mb.csv');
    const rows = await writeSyntheticCsv(small, 100 * 1024 * 1024);
    const plain = await child(PASSTHROUGH, [small, path.join(dir, 'plain.csv')]);
    const ours = await child(JOB, [small, path.join(dir, 'ours.csv')]);
    const plainRate = (plain.rows ?? 0) / (plain.seconds ?? 1);
    const ourRate = (ours.rows ?? 0) / (ours.seconds ?? 1);
    figures.throughput = { rows, passThroughRowsPerSecond: Math.round(plainRate), pipelineRowsPerSecond: Math.round(ourRate), ratio: Number((ourRate / plainRate).toFixed(3)) };
    console.log(`pipeline vs pass-through on ${rows} rows (100 MB): ${Math.round(ourRate)} vs ${Math.round(plainRate)} rows/s, ratio ${(ourRate / plainRate).toFixed(2)} (aim ≥ 0.5)`);
    rmSync(small);

    // The same for JSONL, whose reader and writer are the job's other pair.
    const lines = path.join(dir, 'in-100mb.jsonl');
    const jsonlRows = await writeSyntheticJsonl(lines, 100 * 1024 * 1024);
    const plainJsonl = await child(PASSTHROUGH_JSONL, [lines, path.join(dir, 'plain.jsonl')]);
    const oursJsonl = await child(JOB, [lines, path.join(dir, 'ours.jsonl')]);
    const plainJsonlRate = (plainJsonl.rows ?? 0) / (plainJsonl.seconds ?? 1);
    const ourJsonlRate = (oursJsonl.rows ?? 0) / (oursJsonl.seconds ?? 1);
    figures.jsonlThroughput = { rows: jsonlRows, passThroughRowsPerSecond: Math.round(plainJsonlRate), pipelineRowsPerSecond: Math.round(ourJsonlRate), ratio: Number((ourJsonlRate / plainJsonlRate).toFixed(3)) };
    console.log(`pipeline vs pass-through on ${jsonlRows} JSONL lines (100 MB): ${Math.round(ourJsonlRate)} vs ${Math.round(plainJsonlRate)} rows/s, ratio ${(ourJsonlRate / plainJsonlRate).toFixed(2)}`);
    rmSync(lines);

    // Peak RSS as the input grows.
    const rss: Record<string, string> = {};
    for (const size of [256, 512, 1024]) {
      const file = path.join(dir, `in-${size}mb.csv`);
      await writeSyntheticCsv(file, size * 1024 * 1024);
      const out = path.join(dir, `out-${size}.csv`);
      const job = await child(JOB, [file, out]);
      rss[`${size}MB`] = mb(job.maxRssBytes ?? 0);
      console.log(`peak RSS on a ${size} MB input: ${mb(job.maxRssBytes ?? 0)} (${job.rows} rows in ${job.seconds?.toFixed(1)} s; aim < 150 MB, flat)`);
      rmSync(out, { force: true });
      if (size !== 1024) rmSync(file);
    }
    figures.peakRss = rss;

    // Resume near the end of 1 GB: a run killed at 97 %, then the time to its first request.
    const big = path.join(dir, 'in-1024mb.csv');
    const out = path.join(dir, 'resume.csv');
    await runNode([JOB, big, out, '--kill-at-percent', '97']);
    const resumedAt = statSync(`${out}.partial`).size;
    const resumed = await child(JOB, [big, out, '--remote', '--exit-after-first-request']);
    figures.resume = { partialBytes: resumedAt, firstRequestSinceStartMs: Math.round(resumed.firstRequestSinceStartMs ?? -1) };
    console.log(`resume near the end of 1 GB (partial ${mb(resumedAt)}): first request ${Math.round(resumed.firstRequestSinceStartMs ?? -1)} ms after process start (aim < 1000 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
