import { appendFileSync, closeSync, existsSync, openSync, readFileSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { OutputKeptError, SentimentBatchError } from '../src/errors.js';
import { mendAgainOf } from '../src/job/input-unchanged.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { formatSummary, type Summary } from '../src/job/summary.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';

/**
 * A mend reads only its listed rows, all inside the part of the input the job read. Rows appended to the input while it
 * ran (the nightly export growing: lowfix35's CLI repro, 2,000 rows, 46 listed, 100 rows appended 1 s into the mend)
 * ended it exit 3 "Not mended, the input changed" after 5 requests; the next run continued the grown export and mended
 * them then. Now the mend needs only the bytes the job read unchanged, as a --limit run does (same-input.ts
 * readPartUnchanged): it completes, and the next run continues with the rows appended. An edit inside that part is
 * still refused; a file gzipped in place is refused naming the .gz to score next.
 */
describe('an input appended to while a mend reads its rows', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const ROWS = 200;
  const PAD = 'x'.repeat(100);
  const rowLines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `${from + i + 1},${(from + i) % 4 === 1 ? 'odd' : 'fine'} review ${from + i + 1} ${PAD}\n`).join('');
  const input = () => path.join(dir, 'in.csv');
  const write = () => writeFileSync(input(), `id,text\n${rowLines(0, ROWS)}`);
  const append = () => appendFileSync(input(), rowLines(ROWS, 100));
  const settingsFor = (output: string, file = input()): JobSettings => remoteSettings(file, output);
  const checkpointOf = (output: string) => JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
  const odd = (text: string) => text.startsWith('odd');
  const run = (output: string, failing: (text: string) => boolean, sent: { count: number }, onCall?: (n: number) => void, extra: Partial<JobSettings> = {}) =>
    runJob({ ...settingsFor(output), ...extra }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(failing, sent, onCall) });

  /** The output of a run that never failed, of `rows` rows (made once: the same bytes in each test's folder). */
  const clean = new Map<number, Buffer>();
  const cleanOutput = async (rows: number): Promise<Buffer> => {
    const made = clean.get(rows);
    if (made) return made;
    const file = path.join(dir, `clean-${rows}.csv`);
    writeFileSync(file, `id,text\n${rowLines(0, rows)}`);
    const output = path.join(dir, `clean-${rows}.scored.csv`);
    await runJob(settingsFor(output, file), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }) });
    clean.set(rows, readFileSync(output));
    return readFileSync(output);
  };

  it("a rerun's mend, rows appended at its first request: mended (exit 0), and the next run scores only the rows appended", async () => {
    write();
    const output = path.join(dir, 'out.csv');
    const outage = { count: 0 };
    expect((await run(output, odd, outage)).totals.failed).toBe(ROWS / 4);

    const mend = { count: 0 };
    const summary = await run(output, () => false, mend, (n) => n === 1 && append());
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: ROWS / 4, failedRows: { retry: 0, final: 0 } });
    expect(mend.count).toBe(ROWS / 4);
    expect(readFileSync(output).equals(await cleanOutput(ROWS))).toBe(true);
    expect(existsSync(`${output}.failed-rows`)).toBe(false);
    // The checkpoint is still of the bytes the job read: the next run finds the export grown.
    expect(checkpointOf(output).input.identity.size).toBe(Buffer.byteLength(`id,text\n${rowLines(0, ROWS)}`));

    const next = { count: 0 };
    const continued = await run(output, () => false, next);
    expect(continued).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(100);
    expect(readFileSync(output).equals(await cleanOutput(ROWS + 100))).toBe(true);
  });

  it("an export whose last row has no line ending, that line ending and rows appended at the mend's first request: mended, then continued", async () => {
    // The nightly exporter that writes no line ending after its last row: the next night's file is these bytes, an LF,
    // then the new rows. The mend's rows are all inside the part read; the last one, if listed, is read back to where
    // its file ended (io/ended-since.ts). It ended exit 3 "changed while the rows that had failed were being mended".
    // 198 rows: the last (row 198) is one that fails, so the mend reads it back too.
    const unended = `id,text\n${rowLines(0, ROWS - 2)}`.slice(0, -1);
    writeFileSync(input(), unended);
    const output = path.join(dir, 'out.csv');
    expect((await run(output, odd, { count: 0 })).totals.failed).toBe(ROWS / 4);
    const file = path.join(dir, 'clean-unended.csv');
    writeFileSync(file, unended);
    const cleanUnended = path.join(dir, 'clean-unended.scored.csv');
    await runJob(settingsFor(cleanUnended, file), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }) });

    const mend = { count: 0 };
    const summary = await run(output, () => false, mend, (n) => n === 1 && appendFileSync(input(), `\n${rowLines(ROWS - 2, 102)}`));
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: ROWS / 4, failedRows: { retry: 0, final: 0 } });
    expect(mend.count).toBe(ROWS / 4);
    expect(readFileSync(output).equals(readFileSync(cleanUnended))).toBe(true);

    const next = { count: 0 };
    expect(await run(output, () => false, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(102);
    expect(readFileSync(output).equals(await cleanOutput(ROWS + 100))).toBe(true);
  });

  it('the rows appended found at a --checkpoint-interval mid-mend: the mend goes on to complete', async () => {
    write();
    const output = path.join(dir, 'out.csv');
    expect((await run(output, odd, { count: 0 })).totals.failed).toBe(ROWS / 4);
    // One request at a time, 20 ms each: the 50 listed rows take 1 s, the input checked every 200 ms.
    const mend = { count: 0 };
    const slow = remoteScorer(() => false, mend, (n) => n === 1 && append());
    const score = slow.score.bind(slow);
    slow.score = async (text: string) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return score(text);
    };
    const summary = await runJob({ ...settingsFor(output), concurrency: 1, checkpointIntervalMs: 200 }, { log: quiet(), stop: new StopController(), createScorer: () => slow });
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: ROWS / 4 });
    expect(mend.count).toBe(ROWS / 4);
    expect(readFileSync(output).equals(await cleanOutput(ROWS))).toBe(true);
  });

  it("a resumed run's mend of an earlier run's failed rows, rows appended at its first request: mended, then continued", async () => {
    write();
    const output = path.join(dir, 'out.csv');
    const half = ROWS / 2;
    const paused = await run(output, odd, { count: 0 }, undefined, { maxRequests: half });
    expect(paused.exitCode).toBe(75);
    expect(paused.totals.failed).toBeGreaterThan(0);

    const second = { count: 0 };
    const left = ROWS - paused.totals.read;
    const summary = await run(output, () => false, second, (n) => n === left + 1 && append());
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: paused.totals.failed });
    expect(readFileSync(output).equals(await cleanOutput(ROWS))).toBe(true);

    const next = { count: 0 };
    expect(await run(output, () => false, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(100);
    expect(readFileSync(output).equals(await cleanOutput(ROWS + 100))).toBe(true);
  });

  it('only touched mid-mend (its bytes the same): mended', async () => {
    write();
    const output = path.join(dir, 'out.csv');
    expect((await run(output, odd, { count: 0 })).totals.failed).toBe(ROWS / 4);
    const later = new Date(Date.now() + 60_000);
    const summary = await run(output, () => false, { count: 0 }, (n) => n === 1 && utimesSync(input(), later, later));
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: ROWS / 4 });
    expect(readFileSync(output).equals(await cleanOutput(ROWS))).toBe(true);
  });

  it('gzipped in place mid-mend: exit 3 naming the .gz, whose run then mends the rows', async () => {
    write();
    const output = path.join(dir, 'out.csv');
    expect((await run(output, odd, { count: 0 })).totals.failed).toBe(ROWS / 4);
    const gzipInPlace = () => {
      writeFileSync(`${input()}.gz`, gzipSync(readFileSync(input())));
      unlinkSync(input());
    };
    const error = await run(output, () => false, { count: 0 }, (n) => n === 1 && gzipInPlace()).catch((e: unknown) => e);
    expect((error as SentimentBatchError).exitCode).toBe(3);
    // It said "Run the same command again once the file is final", and that command found no in.csv.
    expect((error as Error).message).toMatch(/\(it was removed, and .*in\.csv\.gz is there now: gzipped in place\?\): nothing was mended .* Run the same command with .*in\.csv\.gz in place of .*in\.csv: it mends those rows/);
    // The summary's last line said "run the same command again once it is final" above that line (lowfix38 Left 2).
    const cause = error instanceof OutputKeptError ? error.cause : error;
    expect(formatSummary(runFiguresOf(cause) as Summary, undefined, undefined, mendAgainOf(cause)).trimEnd().split('\n').at(-1)).toBe(
      `  ${ROWS / 4} rows failed transiently, not mended as the input changed: run the same command with ${input()}.gz in place of ${input()}; the next run re-scores just those ${ROWS / 4} if the bytes the job read are the same, compressed or not, else scores the new content afresh`,
    );
    const summary = await runJob(settingsFor(output, `${input()}.gz`), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }) });
    expect(summary).toMatchObject({ status: 'done', exitCode: 0, mended: ROWS / 4 });
    expect(readFileSync(output).equals(await cleanOutput(ROWS))).toBe(true);
  });

  it('rows appended and a byte edited inside the part the job read: still refused (exit 3), the output unchanged', async () => {
    write();
    const output = path.join(dir, 'out.csv');
    expect((await run(output, odd, { count: 0 })).totals.failed).toBe(ROWS / 4);
    const before = readFileSync(output);
    const list = readFileSync(`${output}.failed-rows`);
    const edit = () => {
      // The first row's text, `fine` to `Fine`, at the same length: a row the mend does not read.
      const fd = openSync(input(), 'r+');
      writeSync(fd, 'F', 'id,text\n1,'.length);
      closeSync(fd);
      append();
    };
    const error = await run(output, () => false, { count: 0 }, (n) => n === 1 && edit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentimentBatchError);
    expect((error as SentimentBatchError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^the input .*in\.csv changed while the rows that had failed were being mended \(it went from \d+ to \d+ bytes\): nothing was mended and the output is unchanged/);
    expect(readFileSync(output).equals(before)).toBe(true);
    expect(readFileSync(`${output}.failed-rows`).equals(list)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });
});
