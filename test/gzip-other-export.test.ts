import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { defaultOutputPath } from '../src/config/resolve.js';
import { ConfigError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { tempDir } from './support/cli.js';
import { quiet } from './support/counting-remote.js';

// Operator review: after `gzip x.csv` in place, an x.csv.gz that was in fact another export replaced x.scored.csv
// (x.csv's output, which the default output of x.csv.gz is too), exit 0: x.csv gone from beside it, nothing refused
// it. The checkpoint's `consumed` tells x.csv's bytes from another export's: that one is refused, exit 2, before any work.

describe('x.csv.gz at the default output of x.csv, gzipped in place', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const ROWS = 'id,text\n1,good\n2,this product is fine\n3,awful\n';
  let scored: number;
  beforeEach(() => (scored = 0));

  /** `score FILE` with no -o, as the command line gives it: the default output. `pauseAfter`: a SIGTERM once that many rows are scored. */
  const scoreAt = (input: string, pauseAfter?: number) => {
    const stop = new StopController();
    const settings: JobSettings = {
      ...DEFAULTS,
      input,
      output: defaultOutputPath(input),
      given: new Set(['input']),
      backend: 'embedded',
      progress: 'off',
      checkpointIntervalMs: 0,
      concurrency: 1,
    };
    const scorer: Scorer = {
      modelId: 'test:fixed',
      remote: false,
      score: async () => {
        scored += 1;
        if (scored === pauseAfter) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
        return toScores(0.7, 0.3);
      },
      close: async () => {},
    };
    return runJob(settings, { log: quiet(), stop, createScorer: () => scorer });
  };
  const gzipInPlace = (file: string, bytes = readFileSync(file)) => {
    writeFileSync(`${file}.gz`, gzipSync(bytes));
    unlinkSync(file);
  };

  it('a completed job: another export is refused, naming both, the output kept; the same export gzipped is already done', async () => {
    const input = path.join(dir, 'x.csv');
    const output = path.join(dir, 'x.scored.csv');
    writeFileSync(input, ROWS);
    expect((await scoreAt(input)).exitCode).toBe(0);
    const finished = readFileSync(output);
    gzipInPlace(input, Buffer.from('id,text\n9,another export entirely\n'));
    const error = await scoreAt(`${input}.gz`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `the default output ${output} is the output of another input, ${input} (its checkpoint ${output}.checkpoint.json says so; that job is completed), ` +
        `no longer beside it, and ${input}.gz is not the bytes that job read: scoring ${input}.gz there would replace it. ` +
        'Name this run\'s output with -o, or run with --restart to replace it on purpose',
    );
    expect(scored).toBe(3);
    expect(readFileSync(output).equals(finished)).toBe(true);

    // The real gzip (its checkpoint then records x.csv.gz: a new export there is tomorrow's, scored afresh, as at one path).
    writeFileSync(`${input}.gz`, gzipSync(ROWS));
    expect((await scoreAt(`${input}.gz`)).status).toBe('already-done');
    expect(scored).toBe(3);
  });

  it('a paused job: its gzip, rows appended too, continues it; another export is refused', async () => {
    const input = path.join(dir, 'x.csv');
    const output = path.join(dir, 'x.scored.csv');
    writeFileSync(input, ROWS);
    const paused = await scoreAt(input, 1);
    expect(paused.exitCode).toBe(130);
    expect(paused.totals.read).toBeGreaterThan(0);
    gzipInPlace(input);
    writeFileSync(`${input}.gz`, gzipSync('id,text\n9,another export entirely\n'));
    const error = await scoreAt(`${input}.gz`).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/is the output of another input, \S*x\.csv \(.*that job is not finished\), no longer beside it, and .*x\.csv\.gz is not the bytes that job read/);

    writeFileSync(`${input}.gz`, gzipSync(`${ROWS}4,appended since\n`));
    const summary = await scoreAt(`${input}.gz`);
    expect(summary.exitCode).toBe(0);
    expect(summary.resumed).toBe(true);
    expect(summary.run.totals.read).toBe(4 - paused.totals.read);
    expect(summary.totals.read).toBe(4);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => line.split(',')[0])).toEqual(['id', '1', '2', '3', '4']);
  });
});
