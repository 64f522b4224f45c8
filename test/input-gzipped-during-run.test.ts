import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { InputError } from '../src/errors.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { inPlaceAdvice } from '../src/job/input-unchanged.js';
import { mendInputCheck } from '../src/job/mend-input-check.js';
import { inputIdentity } from '../src/io/open-input.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { localScorer, quiet } from './support/counting-remote.js';

// Operator review: `gzip x.csv` while `score x.csv` ran ended it with exit 3 saying to run the same command again,
// which names the x.csv gzip had removed; x.csv.gz is what to score, and its run continues from the checkpoint.

/** What `gunzip file.gz` does: file written, then file.gz removed. */
function gunzipInPlace(gz: string): void {
  writeFileSync(gz.slice(0, -'.gz'.length), gunzipSync(readFileSync(gz)));
  unlinkSync(gz);
}

/** What `gzip file` does: file.gz written, then file removed. */
function gzipInPlace(file: string): void {
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
  unlinkSync(file);
}

describe('an input gzipped in place while it is read', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('says to score the .gz, and that run continues from the checkpoint, sending no row again', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine\n');
    const scored = { count: 0 };
    // `sideEffect` runs before the first row of this run is scored.
    const runOn = (from: string, sideEffect: () => void) => {
      const settings: JobSettings = { ...DEFAULTS, input: from, output, backend: 'embedded', progress: 'off', checkpointIntervalMs: 0 };
      const before = scored.count;
      const scorer = localScorer(scored, (n) => n === before + 1 && sideEffect());
      return runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer });
    };

    const error = await runOn(input, () => gzipInPlace(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `the input ${input} changed while it was being read (it was removed, and ${input}.gz is there now: gzipped in place?); the output is not marked complete. ` +
        `Run the same command with ${input}.gz in place of ${input}: it continues from the checkpoint if the bytes read so far are unchanged, else starts over on the new content`,
    );
    expect(scored.count).toBe(2);

    const summary = await runOn(`${input}.gz`, () => {});
    expect(summary.exitCode).toBe(0);
    // Both rows were written and checkpointed by the first run: none is scored again.
    expect(scored.count).toBe(2);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => line.split(',')[1])).toEqual(['text', 'good', 'this product is fine']);
  });

  // A run gzipped in place as it completed ended before its last checkpoint: its summary counted the rows of the last
  // one (2,999 read, 3,000 requests), the rows written past it were scored again by the next run (or, paid, taken from
  // the journal, their requests missing from the job's totals for good). They are the bytes the run read, which the next
  // run proves against `consumed`: checkpointed, they are in every figure, and the next run has nothing to score.
  it('checkpoints the rows written before saying so: its figures hold them, and the .gz run scores none again', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine\n3,awful\n');
    const scored = { count: 0 };
    // `sideEffect(row)` runs before the row-th row of these runs is scored.
    const runOn = (from: string, sideEffect: (row: number) => void) => {
      // One checkpoint at the start, none after it: every row is written past it.
      const settings: JobSettings = { ...DEFAULTS, input: from, output, backend: 'embedded', progress: 'off', checkpointIntervalMs: 3_600_000 };
      return runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => localScorer(scored, sideEffect) });
    };
    const error = await runOn(input, (row) => row === 3 && gzipInPlace(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const figures = runFiguresOf(error);
    expect(figures?.totals.read).toBe(3);
    expect(figures?.run.notWritten).toBeUndefined();

    const summary = await runOn(`${input}.gz`, () => {});
    expect(summary.exitCode).toBe(0);
    expect(scored.count).toBe(3);
    expect(summary.run.totals.read).toBe(0);
    expect(summary.totals.read).toBe(3);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => line.split(',')[1])).toEqual(['text', 'good', 'this product is fine', 'awful']);
  });

  // The last row read had no line ending: it may be a writer's row cut short (scored as if whole). A checkpoint past it
  // passes the consumed comparison (its bytes are a prefix of the finished file's), and the next run, whose proof finds
  // that row longer, would start the whole job over: it stays out, and the next run continues before it. The rows
  // before it are checkpointed (the input is checked before that row is written: pipeline.ts), where the last
  // periodic checkpoint (here the run's first: none of its rows) was all this run kept.
  it('leaves a last row with no line ending out of that checkpoint, and keeps the rows before it', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine');
    const settings: JobSettings = { ...DEFAULTS, input, output, backend: 'embedded', progress: 'off', checkpointIntervalMs: 3_600_000 };
    const scorer = localScorer({ count: 0 }, (n) => n === 2 && gzipInPlace(input));
    const error = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(runFiguresOf(error)?.totals.read).toBe(1);
    expect(runFiguresOf(error)?.run.notWritten).toBeUndefined();
    expect(runFiguresOf(error)?.unwritten?.rows).toBe(1);
  });

  // Operator review: `gunzip x.csv.gz` while `score x.csv.gz` ran said '(it can no longer be read) … Run the same command
  // again', which names the x.csv.gz gunzip had removed (exit 3, no such file); x.csv is what to score.
  it('an input gunzipped in place says to score the plain file, and that run continues from the checkpoint', async () => {
    const plain = path.join(dir, 'in.csv');
    const input = `${plain}.gz`;
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, gzipSync('id,text\n1,good\n2,this product is fine\n'));
    const scored = { count: 0 };
    const runOn = (from: string, sideEffect: (row: number) => void) => {
      const settings: JobSettings = { ...DEFAULTS, input: from, output, backend: 'embedded', progress: 'off', checkpointIntervalMs: 0 };
      return runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => localScorer(scored, sideEffect) });
    };
    const error = await runOn(input, (row) => row === 1 && gunzipInPlace(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `the input ${input} changed while it was being read (it was removed, and ${plain} is there now: gunzipped in place?); the output is not marked complete. ` +
        `Run the same command with ${plain} in place of ${input}: it continues from the checkpoint if the bytes read so far are unchanged, else starts over on the new content`,
    );
    const summary = await runOn(plain, () => {});
    expect(summary.exitCode).toBe(0);
    expect(scored.count).toBe(2);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => line.split(',')[1])).toEqual(['text', 'good', 'this product is fine']);
  });

  // Operator review: `run job.json`, its "input" gzipped in place, said to run the same command with x.csv.gz in place
  // of x.csv: the same command reads the job file, whose "input" is what must name x.csv.gz.
  it('in a job-file run, says to set the job file\'s "input" to the .gz', async () => {
    const input = path.join(dir, 'in.csv');
    const jobFile = path.join(dir, 'nightly.json');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine\n');
    const scorer = localScorer({ count: 0 }, (n) => n === 1 && gzipInPlace(input));
    const settings: JobSettings = {
      ...DEFAULTS,
      input,
      output: path.join(dir, 'out.csv'),
      backend: 'embedded',
      progress: 'off',
      checkpointIntervalMs: 0,
      jobFile: { path: jobFile, keys: new Set(['input', 'output']) },
    };
    const error = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `the input ${input} changed while it was being read (it was removed, and ${input}.gz is there now: gzipped in place?); the output is not marked complete. ` +
        `Set "input" in job file ${jobFile} to name ${input}.gz in place of ${input}, then run the same command: it continues from the checkpoint if the bytes read so far are unchanged, else starts over on the new content`,
    );
  });

  // A machine fault's line says it too (commands/score.ts puts these words in place of "run the same command again").
  it('the words a machine fault\'s line puts in place of "run the same command again"', () => {
    expect(inPlaceAdvice({ shownAs: 'x.csv' }, 'x.csv.gz')).toBe('run the same command with x.csv.gz in place of x.csv');
    expect(inPlaceAdvice({ shownAs: '/d/x.csv', jobFile: 'jobs/n.json' }, '/d/x.csv.gz')).toBe('set "input" in job file jobs/n.json to name /d/x.csv.gz in place of /d/x.csv, then run the same command');
  });

  // A mend's refusal said "(it was removed) … Run the same command again once the file is final", and the same command
  // then ended "cannot open input file 'in.csv'" (2,000 rows, 48 listed, `gzip in.csv` 1 s into the mend, lowfix38):
  // it names the .gz as a scoring run's does, whose run mends the rows (test/mend-input-grown.test.ts runs both).
  it("a mend's refusal of an input gzipped or gunzipped in place names the file to score next", async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good\n');
    const watched = { path: input, shownAs: 'in.csv', identity: await inputIdentity(input) };
    gzipInPlace(input);
    // The check a mend makes (mend-input-check.ts), with no record of the bytes read: a changed file is refused.
    const refuseChanged = (input: Parameters<typeof mendInputCheck>[0]) => mendInputCheck(input, { segments: undefined, gzip: false, format: 'csv' }, quiet())().catch((e: unknown) => e);
    const gzipped = await refuseChanged(watched);
    expect(gzipped).toBeInstanceOf(InputError);
    expect((gzipped as Error).message).toBe(
      'the input in.csv changed while the rows that had failed were being mended (it was removed, and in.csv.gz is there now: gzipped in place?): nothing was mended and the output is unchanged (the requests sent are counted in its checkpoint). ' +
        'Run the same command with in.csv.gz in place of in.csv: it mends those rows if the bytes the job read are the same, compressed or not, else scores the new content afresh',
    );
    const gz = `${input}.gz`;
    const back = { path: gz, shownAs: 'in.csv.gz', identity: await inputIdentity(gz), jobFile: 'job.json' };
    gunzipInPlace(gz);
    expect(((await refuseChanged(back)) as Error).message).toMatch(
      /\(it was removed, and in\.csv is there now: gunzipped in place\?\): nothing was mended .* Set "input" in job file job\.json to name in\.csv in place of in\.csv\.gz, then run the same command: it mends those rows/,
    );
  });

  // It said "(it can no longer be read)", which sent the operator to permissions; the file was simply gone (rm, 2026-12-05).
  it('an input removed with no .gz beside it is said to be removed', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine\n');
    const scorer = localScorer({ count: 0 }, (n) => n === 1 && unlinkSync(input));
    const settings: JobSettings = { ...DEFAULTS, input, output: path.join(dir, 'out.csv'), backend: 'embedded', progress: 'off' };
    const error = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/\(it was removed\); the output is not marked complete\. Run the same command again once the file is final/);
  });
});
