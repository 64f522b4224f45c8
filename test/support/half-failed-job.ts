import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULTS } from '../../src/config/options.js';
import type { Outcome } from '../../src/io/record.js';
import { openSource, type Source } from '../../src/job/source.js';
import { StopController } from '../../src/job/stop.js';
import { createLogger } from '../../src/log.js';
import { failedRowsPathFor, writeFailedRows, type FailedRow } from '../../src/mend/failed-rows.js';
import type { MendJobOptions } from '../../src/mend/mend-job.js';
import { emptyTotals } from '../../src/state/totals.js';
import { tempDir } from './cli.js';
import { syntheticCsv } from './reviews.js';
import { joinedRow } from '../../src/io/row-text.js';

export const FAILED_TRANSIENTLY: Outcome = { kind: 'failed', failure: { code: 'http_500', message: 'Workers AI failed transiently (HTTP 500, code 3043) (gave up after 1 attempt)', transient: true } };
export const SCORED: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };

export interface HalfFailedJob {
  input: string;
  output: string;
  source: Source;
  /** The rows that failed transiently, as the list holds them. */
  rows: FailedRow[];
  rowCount: number;
}

/**
 * A completed job of `rowCount` rows in `dir` (in.csv -> out.csv) whose every other row failed transiently and is
 * listed in the output's failed-rows list: what a mend starts from. The source stays open for the mend; release it.
 */
export async function halfFailedJob(dir: string, rowCount: number): Promise<HalfFailedJob> {
  const input = path.join(dir, 'in.csv');
  writeFileSync(input, syntheticCsv(rowCount, { emptyEvery: 0, duplicateEvery: 0 }));
  const output = path.join(dir, 'out.csv');
  const source = await openSource({ ...DEFAULTS, input, output, text: ['review'] }, input);
  let written = source.outputHeader;
  let inputStart = source.firstRecordOffset;
  const rows: FailedRow[] = [];
  for await (const record of source.records(source.firstRecordOffset, 0)) {
    const failed = record.index % 2 === 0;
    const text = joinedRow(source.formatRecord(record, failed ? FAILED_TRANSIENTLY : SCORED));
    const outputStart = Buffer.byteLength(written);
    if (failed) rows.push({ index: record.index, inputStart, inputEnd: record.byteEnd, outputStart, outputEnd: outputStart + Buffer.byteLength(text), code: 'http_500' });
    written += text;
    inputStart = record.byteEnd;
  }
  writeFileSync(output, written);
  await writeFailedRows(failedRowsPathFor(output), rows, output);
  return { input, output, source, rows, rowCount };
}

/**
 * For a describe block: a temp folder, and `job(rowCount)` making a half-failed job in it (one a test, a mend changes
 * the output). The folder is removed after the block, the sources of the jobs made released first.
 */
export function useHalfFailedJobs(): { dir: () => string; job: (rowCount: number) => Promise<HalfFailedJob> } {
  let dir: string;
  let cleanup: () => void;
  const sources: Source[] = [];
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(async () => {
    for (const source of sources.splice(0)) await source.release();
    cleanup();
  });
  return {
    dir: () => dir,
    job: async (rowCount) => {
      const made = await halfFailedJob(dir, rowCount);
      sources.push(made.source);
      return made;
    },
  };
}

/**
 * mendCompletedJob's options for `job`, with what the mend tests do not vary as it is given here (the job's totals,
 * every listed row failed and the rest scored; no requests this run; a window of 8; 5 s of grace; a 50 % error rate;
 * nothing saved; no log), and `given` over it: the scorer, and whatever the test is about.
 */
export function mendOptionsFor(job: HalfFailedJob, given: Pick<MendJobOptions, 'scorerFor'> & Partial<MendJobOptions>): MendJobOptions {
  const { output, rows, rowCount } = job;
  return {
    outputPath: output,
    partialPath: `${output}.partial`,
    source: job.source,
    totals: { ...emptyTotals(), read: rowCount, scored: rowCount - rows.length, failed: rows.length },
    runTotals: emptyTotals(),
    window: 8,
    stop: new StopController(),
    graceMs: 5000,
    limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' },
    listedFailures: rows.length,
    saveCompleted: async () => undefined,
    log: createLogger('silent'),
    ...given,
  };
}
