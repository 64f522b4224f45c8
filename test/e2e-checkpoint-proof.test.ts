import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { runCli } from './support/cli.js';
import { loneRunFixture } from './support/lone-run.js';
import { syntheticCsv } from './support/reviews.js';

// Enough rows that 60 requests pause the run part-way (about 105 requests in all); the edits need no more.
const ROWS = 120;

/**
 * Hand-edited checkpoints, each beside the partial output of a paused run:
 * whatever the edit, a run either finishes with the lone run's bytes (having
 * started over, saying why) or, under --resume require, refuses; never exit 0
 * with rows missing, cut or doubled.
 */
describe('checkpoints are proven against the files', () => {
  const job = loneRunFixture({ rows: ROWS, flags: ['--rpm', '600000'], server: { latency: '1-3ms' } });
  const { dir, input, env, args } = job;
  /** The state a paused run leaves: partial output and checkpoint. */
  let pausedPartial: Buffer;
  let pausedCheckpoint: Checkpoint;

  beforeAll(async () => {
    const paused = path.join(dir, 'paused.csv');
    expect((await runCli(args(paused, '--max-requests', '60'), { env: env() })).code).toBe(75);
    pausedPartial = readFileSync(`${paused}.partial`);
    pausedCheckpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(pausedCheckpoint.position.nextIndex).toBeGreaterThan(40);
    expect(pausedCheckpoint.position.lastInputStart).toBeDefined();
  });

  /** Lays out the paused state under a new output name, edited; returns the output path. */
  const lay = (name: string, edit: (checkpoint: Checkpoint, partial: string) => void): string => {
    const output = path.join(dir, `${name}.csv`);
    for (const suffix of ['', '.partial', '.checkpoint.json']) rmSync(`${output}${suffix}`, { force: true });
    writeFileSync(`${output}.partial`, pausedPartial);
    const checkpoint = structuredClone(pausedCheckpoint);
    checkpoint.output = { path: output, partialPath: `${output}.partial` };
    edit(checkpoint, `${output}.partial`);
    writeFileSync(`${output}.checkpoint.json`, JSON.stringify(checkpoint));
    return output;
  };

  const inputSize = () => statSync(input).size;
  const lastRowBytes = () => pausedPartial.subarray(pausedCheckpoint.position.lastOutputStart as number, pausedCheckpoint.position.outputBytes);

  /**
   * Moves the input offset as a careful hand edit would, with the end of the record of the bytes consumed (which must
   * reach it: moved alone, the checkpoint is unusable before any proof, see the test after these).
   */
  const moveOffset = (c: Checkpoint, offset: number): void => {
    c.position.inputOffset = offset;
    (c.consumed?.at(-1) as { end: number }).end = offset;
  };
  const cases: Array<[string, (c: Checkpoint, partial: string) => void]> = [
    ['input offset past the end', (c) => moveOffset(c, inputSize() + 1000)],
    ['input offset one record back', (c) => moveOffset(c, c.position.lastInputStart as number)],
    ['input offset inside a record', (c) => moveOffset(c, c.position.inputOffset - 7)],
    ['output length inside a record', (c) => (c.position.outputBytes -= 5)],
    ['output length past the partial', (c) => (c.position.outputBytes += 10_000)],
    [
      'last row doubled',
      (c, partial) => {
        appendFileSync(partial, lastRowBytes());
        c.position.outputBytes += lastRowBytes().length;
      },
    ],
    ['last record offsets removed', (c) => (delete c.position.lastInputStart, delete c.position.lastOutputStart)],
    ['completed beside an unfinished partial', (c) => (c.completed = true)],
    [
      'completed, partial cut to the recorded length',
      (c, partial) => {
        c.completed = true;
        writeFileSync(partial, pausedPartial.subarray(0, c.position.outputBytes));
      },
    ],
  ];

  it.each(cases)('%s: starts over with a warning and writes the lone run\'s bytes', async (name, edit) => {
    const output = lay(name.replace(/\W+/g, '-'), edit);
    const result = await runCli(args(output), { env: env() });
    expect(result.stderr).toMatch(/does not match the files/);
    expect(result.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it.each(cases)('%s: --resume require refuses and writes nothing', async (name, edit) => {
    const output = lay(`${name.replace(/\W+/g, '-')}-require`, edit);
    const result = await runCli(args(output, '--resume', 'require'), { env: env() });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--resume require: cannot resume, the checkpoint .* does not match the files/);
    expect(existsSync(output)).toBe(false);
  });

  it('an input offset moved without the record of the bytes consumed: the checkpoint is unusable, --resume require refuses', async () => {
    expect(pausedCheckpoint.consumed?.length).toBe(1);
    const output = lay('offset-alone', (c) => (c.position.inputOffset -= 7));
    const result = await runCli(args(output, '--resume', 'require'), { env: env() });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--resume require: cannot resume, the checkpoint .* is unusable: its record of the input bytes consumed is invalid/);
    expect(existsSync(output)).toBe(false);
  });

  it('an untouched checkpoint resumes to the lone run\'s bytes', async () => {
    const output = lay('untouched', () => {});
    const result = await runCli(args(output, '--resume', 'require'), { env: env() });
    expect(result.stderr).toMatch(/resuming from the checkpoint/);
    expect(result.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it('a checkpoint whose settings were removed by hand starts over, not an internal error', async () => {
    const output = lay('settings-removed', (c) => delete (c as Partial<Checkpoint>).settings);
    const result = await runCli(args(output), { env: env() });
    expect(result.stderr).toMatch(/is unusable: its settings are invalid: starting over/);
    expect(result.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it('a paused checkpoint marked complete with its rows so far as a record limit in its settings starts over, not renamed "Done"', async () => {
    // Its settingsHash untouched: the proof took the edited limit as the job's and asked no more rows of the input, and the
    // partial output was renamed "Done" with the rows so far, exit 0 (measured: 40 rows of a 300-row job, no --limit given).
    const output = lay('limit-added', (c) => {
      c.completed = true;
      c.settings.limit = c.position.nextIndex;
    });
    const result = await runCli(args(output), { env: env() });
    expect(result.stderr).toMatch(/is unusable: its settings are not the ones its settingsHash was made from \(edited by hand\): starting over/);
    expect(result.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it('a --limit job whose next row index was moved by hand starts over and writes the limit\'s rows, not more or fewer', async () => {
    const limited = (output: string, ...extra: string[]) => args(output, '--limit', '100', ...extra);
    const lone = path.join(dir, 'limited-lone.csv');
    expect((await runCli(limited(lone), { env: env() })).code).toBe(0);
    const paused = path.join(dir, 'limited-paused.csv');
    expect((await runCli(limited(paused, '--max-requests', '40'), { env: env() })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.position.nextIndex).toBeGreaterThan(20);
    // Five rows back: the run numbered the rest of the input from there and wrote 105 rows, exit 0.
    checkpoint.position.nextIndex -= 5;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    const result = await runCli(limited(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
    expect(result.stderr).toMatch(/is unusable: its next row index \d+ is not the \d+ rows its totals say were read: starting over/);
  });

  const flakyArgs = (output: string, ...extra: string[]) =>
    ['score', path.join(dir, 'flaky.csv'), '--text-column', 'review', '-o', output, '--rpm', '600000', '--max-attempts', '1', '--max-error-rate', '1', ...extra];

  /**
   * A job whose every tenth row fails (500) paused by --max-requests 60, then the second line of its failed-rows list
   * deleted by hand; `lone` is the same job run whole while the service answered every row: what a rerun must write.
   */
  async function pausedWithListLineDeleted(name: string): Promise<{ paused: string; lone: string }> {
    const lone = await flakyLone();
    const paused = path.join(dir, name);
    await pausedWhileFailing(flakyArgs, paused);
    const list = readFileSync(`${paused}.failed-rows`, 'utf8').split('\n').filter(Boolean);
    expect(list.length).toBeGreaterThan(3);
    list.splice(1, 1);
    writeFileSync(`${paused}.failed-rows`, `${list.join('\n')}\n`);
    return { paused, lone };
  }

  /** flaky.csv (every tenth row marked FAIL-ME) and its job run whole while the service answered every row; returns that output. */
  async function flakyLone(): Promise<string> {
    const flaky = path.join(dir, 'flaky.csv');
    if (!existsSync(flaky)) writeFileSync(flaky, syntheticCsv(ROWS, { marker: (i) => (i % 10 === 3 ? ' FAIL-ME' : '') }));
    const lone = path.join(dir, 'flaky-lone.csv');
    if (!existsSync(lone)) expect((await runCli(flakyArgs(lone), { env: env() })).code).toBe(0);
    return lone;
  }

  /** Runs the job `argsOf` makes for `output`, paused by --max-requests 60 (exit 75) while every FAIL-ME row fails (500). */
  async function pausedWhileFailing(argsOf: (output: string, ...extra: string[]) => string[], output: string): Promise<void> {
    job.server.setFaults({ latency: '1-3ms', rules: [{ textIncludes: 'FAIL-ME', respond: { status: 500 } }] });
    try {
      expect((await runCli(argsOf(output, '--max-requests', '60'), { env: env() })).code).toBe(75);
    } finally {
      job.server.setFaults({ latency: '1-3ms' });
    }
  }

  /**
   * A paused checkpoint as the release before wrote it: the job paused while its FAIL-ME rows failed (pausedWhileFailing),
   * then its count of listed rows removed (that release kept none). Returns the checkpoint as written back.
   */
  async function pausedAsReleaseBefore(argsOf: (output: string, ...extra: string[]) => string[], paused: string): Promise<Checkpoint> {
    await pausedWhileFailing(argsOf, paused);
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    delete checkpoint.listedFailures;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    return checkpoint;
  }

  it('a line deleted by hand from a paused run\'s list of failed rows starts over: that row is mended, not left failed as refused', async () => {
    const { paused, lone } = await pausedWithListLineDeleted('flaky-paused.csv');
    // The old run resumed, kept the row failed (http_500) and took it for refused for its text: never mended, exit 0.
    const result = await runCli(flakyArgs(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
    expect(result.stderr).toMatch(/the list of failed rows .*flaky-paused\.csv\.failed-rows holds \d+ rows of the partial output, the checkpoint recorded \d+: starting over/);
  });

  // A folder there was read as a list of 0 rows: "holds 0 rows …: starting over", the checkpoint rewritten at row 0, then
  // exit 74 at that folder, "it continues from the checkpoint" (operator3, 2026-12-05). Now refused before anything changes.
  it('a folder made where a paused run\'s list of failed rows was: exit 74 naming it, the checkpoint left as it was; removed, the rerun writes the lone run\'s bytes', async () => {
    const lone = await flakyLone();
    const paused = path.join(dir, 'flaky-list-folder.csv');
    await pausedWhileFailing(flakyArgs, paused);
    const checkpoint = readFileSync(`${paused}.checkpoint.json`);
    const partial = readFileSync(`${paused}.partial`);
    rmSync(`${paused}.failed-rows`);
    mkdirSync(`${paused}.failed-rows`);
    const refused = await runCli(flakyArgs(paused), { env: env() });
    expect(refused.code).toBe(74);
    expect(refused.stderr).not.toMatch(/starting over/);
    expect(refused.stderr).toMatch(/the list of failed rows .*flaky-list-folder\.csv\.failed-rows is a folder, not a file: move or remove that folder, then run the same command again \(without the list of the \d+ rows to score again, the job starts over/);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(`${paused}.checkpoint.json`).equals(checkpoint)).toBe(true);
    expect(readFileSync(`${paused}.partial`).equals(partial)).toBe(true);
    rmSync(`${paused}.failed-rows`, { recursive: true });
    const finished = await runCli(flakyArgs(paused), { env: env() });
    expect(finished.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
  });

  it('a line deleted from a paused run\'s list and the count of listed rows removed from its checkpoint starts over too', async () => {
    const { paused, lone } = await pausedWithListLineDeleted('flaky-uncounted.csv');
    // Without its count the proof took the checkpoint for an older version's, which records none: the row stayed failed
    // (http_500), "refused for its text or record … a rerun leaves it as it is", exit 0.
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    delete checkpoint.listedFailures;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    const result = await runCli(flakyArgs(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
    // Proven against the checkpoint's count of rows failed transiently, as a paused checkpoint of the release before is.
    expect(result.stderr).toMatch(/the list of failed rows .*flaky-uncounted\.csv\.failed-rows holds \d+ rows of the partial output, the checkpoint counts \d+ rows failed transiently: starting over/);
  });

  // The release before 2026-12-04 (8f3785e) wrote a paused job's checkpoint with its count of rows failed transiently but
  // no count of listed rows: taken for an edit, "unusable: its count of listed failed rows is missing", the job started
  // over after an upgrade (its rows paid again; --resume require was exit 3). Reproduced with 805bb1d's build.
  it('a paused checkpoint as the release before wrote it (no count of listed rows) resumes, its list proven', async () => {
    const lone = await flakyLone();
    const paused = path.join(dir, 'flaky-older.csv');
    const checkpoint = await pausedAsReleaseBefore(flakyArgs, paused);
    expect(checkpoint.failureCounts?.sentFailedTransient).toBeGreaterThan(0);
    // --resume require: a start over is exit 3.
    const result = await runCli(flakyArgs(paused, '--resume', 'require'), { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/resuming from the checkpoint/);
    expect(result.stderr).not.toMatch(/starting over|unusable/);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
  });

  // The release before also listed a row failed with an earlier row's answer (the same text in flight) marked "dup", which its
  // count of rows failed transiently leaves out (not sent to the model): proven against that count, the list held more,
  // and the paused job started over, paying again for every row written.
  it('a paused checkpoint as the release before wrote it, whose list holds a duplicate\'s failure ("dup"), resumes', async () => {
    // Rows 8 and 9 of every ten share their text (syntheticCsv's duplicate), and it fails: row 9 is listed as a duplicate.
    const dupFlaky = path.join(dir, 'dup-flaky.csv');
    writeFileSync(dupFlaky, syntheticCsv(ROWS, { marker: (i) => (i % 10 >= 8 ? ' FAIL-ME' : '') }));
    const dupArgs = (output: string, ...extra: string[]) => [...flakyArgs(output, ...extra).slice(0, 1), dupFlaky, ...flakyArgs(output, ...extra).slice(2)];
    const lone = path.join(dir, 'dup-flaky-lone.csv');
    expect((await runCli(dupArgs(lone), { env: env() })).code).toBe(0);
    const paused = path.join(dir, 'dup-flaky-older.csv');
    await pausedAsReleaseBefore(dupArgs, paused);
    expect(readFileSync(`${paused}.failed-rows`, 'utf8')).toContain('"dup":true');
    const result = await runCli(dupArgs(paused, '--resume', 'require'), { env: env() });
    expect(result.stderr).not.toMatch(/starting over|unusable|cannot resume/);
    expect(result.stderr).toMatch(/resuming from the checkpoint/);
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
  });

  it('a gzip input\'s paused checkpoint marked complete by hand starts over, not renamed "Done" with the rows so far', async () => {
    const gzipped = path.join(dir, 'in.csv.gz');
    writeFileSync(gzipped, gzipSync(readFileSync(input)));
    const gzipArgs = (output: string, ...extra: string[]) => ['score', gzipped, '--text-column', 'review', '-o', output, '--rpm', '600000', ...extra];
    const paused = path.join(dir, 'gzip-paused.csv');
    expect((await runCli(gzipArgs(paused, '--max-requests', '60'), { env: env() })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    checkpoint.completed = true;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    const result = await runCli(gzipArgs(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(job.reference)).toBe(true);
    expect(result.stderr).toMatch(/it says complete at input offset \d+, but the input goes on there: starting over/);
  });

  it('a --limit job\'s paused checkpoint marked complete by hand starts over, not renamed "Done" short of its limit', async () => {
    const limited = (output: string, ...extra: string[]) => args(output, '--limit', '100', ...extra);
    const lone = path.join(dir, 'limited-lone.csv');
    if (!existsSync(lone)) expect((await runCli(limited(lone), { env: env() })).code).toBe(0);
    const paused = path.join(dir, 'limited-completed.csv');
    expect((await runCli(limited(paused, '--max-requests', '40'), { env: env() })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    checkpoint.completed = true;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    const result = await runCli(limited(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
    expect(result.stderr).toMatch(/but the input goes on there, its \d+ rows short of its record limit 100: starting over/);
  });

  it('a --limit job\'s paused checkpoint marked complete and its partial renamed by hand starts over, not "Already done"', async () => {
    const limited = (output: string, ...extra: string[]) => args(output, '--limit', '100', ...extra);
    const lone = path.join(dir, 'limited-lone.csv');
    if (!existsSync(lone)) expect((await runCli(limited(lone), { env: env() })).code).toBe(0);
    const paused = path.join(dir, 'limited-renamed.csv');
    expect((await runCli(limited(paused, '--max-requests', '40'), { env: env() })).code).toBe(75);
    const checkpoint = JSON.parse(readFileSync(`${paused}.checkpoint.json`, 'utf8')) as Checkpoint;
    checkpoint.completed = true;
    writeFileSync(`${paused}.checkpoint.json`, JSON.stringify(checkpoint));
    renameSync(`${paused}.partial`, paused);
    const result = await runCli(limited(paused), { env: env() });
    expect(result.code).toBe(0);
    expect(readFileSync(paused).equals(readFileSync(lone))).toBe(true);
    expect(result.stderr).toMatch(/but the input goes on there, its \d+ rows short of its record limit 100: starting over/);
  });

  it('an output cut after completion is scored again, not reported done', async () => {
    // The lone run's output (beforeAll: exit 0, a finished job): the same command on the same input.
    const output = path.join(dir, 'lone.csv');
    expect(readFileSync(output).equals(job.reference)).toBe(true);
    writeFileSync(output, job.reference.subarray(0, job.reference.length - 40));
    const again = await runCli(args(output), { env: env() });
    expect(again.stdout).not.toMatch(/Already done/);
    expect(again.code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
    const third = await runCli(args(output), { env: env() });
    expect(third.stdout).toMatch(/Already done/);
  }); // three runs in a row: over 30 s seen when other test files load the 2 cores (the slow tier allows 180 s)
});
