import { appendFileSync, openSync, readFileSync, writeSync, closeSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { InputError } from '../src/errors.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { localScorer, quiet } from './support/counting-remote.js';

/**
 * A --limit run whose input changes while it runs, past the part it reads: the nightly export appended to while the
 * sample is scored. Operator review: `--limit 500` of 3,000 rows, 3,000 rows appended 1 s in, ended exit 3 ("changed while
 * it was being read ... went from 308194 to 309265 bytes") about rows it never reads; its rerun scored 0 rows, exit 0.
 */
describe('a --limit run whose input changes while it runs', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const scored = { count: 0 };
  // `sideEffect` runs before the run's first row is scored: the change made while the job reads.
  const run = (input: string, output: string, limit: number, sideEffect: () => void = () => {}) => {
    const settings: JobSettings = { ...DEFAULTS, input, output, backend: 'embedded', progress: 'off', limit };
    const scorer = localScorer(scored, (n) => n === 1 && sideEffect());
    return runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => scorer });
  };
  const texts = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => line.split(',')[1]);
  const completed = (output: string) => (JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { completed: boolean }).completed;
  /** The job is complete, and its rerun is "already done": no row scored again (the 2 of the first run only). */
  const expectCompleteAndDone = async (input: string, output: string) => {
    expect(completed(output)).toBe(true);
    const rerun = await run(input, output, 2);
    expect(rerun.exitCode).toBe(0);
    expect(scored.count).toBe(2);
  };
  beforeEach(() => (scored.count = 0));

  it('rows appended past the part it reads: completes (exit 0), and the rerun is already done', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,bad\n3,fine\n4,meh\n');
    const summary = await run(input, output, 2, () => appendFileSync(input, '5,more\n6,again\n'));
    expect(summary.exitCode).toBe(0);
    expect(texts(output)).toEqual(['text', 'good', 'bad']);
    await expectCompleteAndDone(input, output);
  });

  // A CR-only CSV (Excel for Mac): the limit's last row ends with a lone CR, which was taken for a row perhaps unfinished
  // (no LF), held and checked against the whole file: exit 3 "the last had no line ending when the input changed".
  it('a CR-only CSV, rows appended past the part it reads: completes (exit 0) as its LF twin, and the rerun is already done', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\r1,good\r2,bad\r3,fine\r4,meh\r');
    const summary = await run(input, output, 2, () => appendFileSync(input, '5,more\r6,again\r'));
    expect(summary.exitCode).toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/^id,text,[^\r]*\r1,good,[^\r]*\r2,bad,[^\r]*\r$/);
    await expectCompleteAndDone(input, output);
  });

  it('an edit inside the part it reads: still refused (exit 3), the output not marked complete', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,bad\n3,fine\n4,meh\n');
    const overwrite = () => {
      const fd = openSync(input, 'r+');
      writeSync(fd, 'B', 'id,text\n1,good\n2,'.length);
      closeSync(fd);
      appendFileSync(input, '5,more\n');
    };
    const error = await run(input, output, 2, overwrite).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/changed while it was being read \(it went from 34 to 41 bytes\); the output is not marked complete/);
    expect(completed(output)).toBe(false);
  });

  it('a --limit past the rows the file holds: rows appended while it reads to the end are still refused', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,good\n2,bad\n');
    const error = await run(input, output, 10, () => appendFileSync(input, '3,more\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/changed while it was being read \(it went from 21 to 28 bytes\)/);
  });
  // The file ends where the limit does (`ends`, same-input.ts readPartUnchanged): written again with the same bytes while
  // the sample is scored (an export re-run), its file is another, its bytes the ones read. Complete, as for rows appended.
  it('an input that ends at the limit, written again with the same bytes: completes (exit 0), the rerun already done', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    const text = 'id,text\n1,good\n2,bad\n';
    writeFileSync(input, text);
    const rewrite = () => {
      writeFileSync(input, text);
      utimesSync(input, new Date(), new Date(Date.now() + 60_000));
    };
    const summary = await run(input, output, 2, rewrite);
    expect(summary.exitCode).toBe(0);
    expect(texts(output)).toEqual(['text', 'good', 'bad']);
    await expectCompleteAndDone(input, output);
  });
});
