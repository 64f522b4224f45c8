import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { OutputKeptError, SentimentBatchError } from '../src/errors.js';
import { mendAgainOf } from '../src/job/input-unchanged.js';
import { runJob } from '../src/job/run.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { formatSummary, type Summary } from '../src/job/summary.js';
import { StopController } from '../src/job/stop.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { captureLog } from './support/capture-log.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';

/**
 * A mend reads only its listed rows from the input: one rewritten in place while it ran (operator19 m2, same length,
 * 20 s into a mend of 3,000 rows) gave exit 0 "Done" and an output mixing two exports; rows made longer (m3) were
 * refused as "the list of failed rows … was edited or damaged … run with --restart". Now the input's change is said,
 * exit 3, the output and its list as they were, the requests paid counted in the checkpoint.
 */
describe('an input rewritten while a mend reads its rows', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  // Big enough (~160 KB) that the reader has not buffered the file when the first mended row is sent.
  const ROWS = 1200;
  const PAD = 'x'.repeat(100);
  const rowsOf = (word: string) => Array.from({ length: ROWS }, (_, i) => `${i + 1},${i % 4 === 1 ? 'odd' : word} review ${i + 1} ${PAD}`);
  const input = () => path.join(dir, 'in.csv');
  const write = (word: string) => writeFileSync(input(), `id,text\n${rowsOf(word).join('\n')}\n`);
  const settingsFor = (output: string): JobSettings => remoteSettings(input(), output);
  const checkpointOf = (output: string) => JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
  const odd = (text: string) => text.startsWith('odd');

  /** The job over 'fine' rows, completed with its odd rows (a quarter) failed: its output then, and its requests counted. */
  const completedWithOddFailed = async (output: string): Promise<{ before: Buffer; outage: { count: number } }> => {
    write('fine');
    const outage = { count: 0 };
    expect((await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, outage) })).totals.failed).toBe(ROWS / 4);
    return { before: readFileSync(output), outage };
  };

  const refusedForInput = (error: unknown) => {
    expect(error).toBeInstanceOf(SentimentBatchError);
    const refusal = error as SentimentBatchError;
    expect(refusal.exitCode).toBe(3);
    expect(refusal.message).toMatch(/^the input .*in\.csv changed while the rows that had failed were being mended \(it (was modified|went from \d+ to \d+ bytes)\): nothing was mended and the output is unchanged/);
    expect(refusal.message).not.toMatch(/edited or damaged|--restart/);
  };

  for (const [name, word] of [
    ['at the same length', 'good'],
    ['with longer rows', 'finer'],
  ] as const) {
    it(`a rerun's mend, the input rewritten ${name}: exit 3, the output and its list unchanged, the requests kept`, async () => {
      const output = path.join(dir, 'out.csv');
      const { before, outage } = await completedWithOddFailed(output);
      const list = readFileSync(`${output}.failed-rows`);

      const mend = { count: 0 };
      const error = await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, mend, (n) => n === 1 && write(word)) }).catch((e: unknown) => e);
      refusedForInput(error);
      // The summary's last line says what the next run does with the rows left failed: it said "run the same command
      // again to re-score just those rows", true only if the input is put back (lowfix32 #4).
      const figures = runFiguresOf(error instanceof OutputKeptError ? error.cause : error);
      expect(figures).toMatchObject({ exitCode: 3, outputComplete: true, failedRows: { retry: ROWS / 4, final: 0 } });
      // Its first line says the mend was refused, not 'Stopped: out.csv' of a run that stopped nothing (lowfix34).
      expect(formatSummary(figures as Summary).split('\n')[0]).toBe(`Not mended, the input changed; the output is as it was: ${output}`);
      expect(formatSummary(figures as Summary).trimEnd().split('\n').at(-1)).toBe(
        `  ${ROWS / 4} rows failed transiently, not mended as the input changed: run the same command again once it is final; the next run re-scores just those ${ROWS / 4} if the bytes the job read are unchanged, else scores the new content afresh`,
      );
      expect(mend.count).toBeGreaterThan(0);
      expect(readFileSync(output).equals(before)).toBe(true);
      expect(readFileSync(`${output}.failed-rows`).equals(list)).toBe(true);
      expect(existsSync(`${output}.partial`)).toBe(false);
      expect(existsSync(`${output}.failed-rows.next`)).toBe(false);
      const checkpoint = checkpointOf(output);
      expect(checkpoint.mending).toBeUndefined();
      expect(checkpoint.totals).toMatchObject({ read: ROWS, failed: ROWS / 4, requests: outage.count + mend.count });
    });
  }

  it("the run over the new export after the refusal reuses the answers the refused mend paid for, its output a fresh run's", async () => {
    write('fine');
    const output = path.join(dir, 'out.csv');
    const outage = { count: 0 };
    await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, outage) });
    const mend = { count: 0 };
    // No periodic save in the mend (it would stop it at the change): every listed row is sent, and the end check refuses the copy.
    const mendSettings = { ...settingsFor(output), checkpointIntervalMs: 600_000 };
    refusedForInput(await runJob(mendSettings, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, mend, (n) => n === 1 && write('good')) }).catch((e: unknown) => e));
    // Every listed row ('odd …') was sent and answered; the rewrite left their texts as they were.
    expect(mend.count).toBe(ROWS / 4);

    // The new export: its 900 'good' rows are new texts; its 300 'odd' rows are the texts the refused mend paid for.
    // They were all sent again (1,200 of 1,200): the journal holding them was bound to the old input and discarded.
    const { log, messages } = captureLog('info');
    const next = { count: 0 };
    const done = await runJob(settingsFor(output), { log, stop: new StopController(), createScorer: () => remoteScorer(() => false, next) });
    expect(done.exitCode).toBe(0);
    expect(next.count).toBe(ROWS - ROWS / 4);
    const line = messages().find((msg) => msg.includes('scoring it afresh'));
    expect(line).toBe(
      `the input changed since the checkpoint of the completed job (the bytes the job read differ, or its size, modification time or content when the checkpoint cannot tell): scoring it afresh; ` +
        `the ${ROWS / 4} answers in the completed job's journal ${output}.journal (answers kept beside its output: a mend's that did not finish, rows' past its limit, or all of a run's stopped before it put its output in place) are kept for this job (${ROWS / 4} texts in ${output}.answers): a text among them is not sent again`,
    );
    // The store is removed once the job completes; the output is a fresh run's over the new export, byte for byte.
    expect(existsSync(`${output}.answers`)).toBe(false);
    const fresh = path.join(dir, 'fresh.csv');
    await runJob(settingsFor(fresh), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }) });
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });

  // Removed (rm, or moved away) is said so, as the run's own refusal says it: "can no longer be read" sent the operator
  // to the file's permissions.
  it("a rerun's mend, the input removed while it ran: exit 3, it says the input was removed, the output unchanged", async () => {
    const output = path.join(dir, 'out.csv');
    const { before } = await completedWithOddFailed(output);
    const mend = { count: 0 };
    const error = await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, mend, (n) => n === 1 && rmSync(input())) }).catch((e: unknown) => e);
    expect((error as SentimentBatchError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^the input .*in\.csv changed while the rows that had failed were being mended \(it was removed\): nothing was mended and the output is unchanged/);
    expect(readFileSync(output).equals(before)).toBe(true);
    // Its advice is to put the export back: "run the same command again once it is final" was meant for a file being
    // rewritten, and a removed one is never final (review60).
    expect((error as Error).message).toMatch(/\. Put the export back at \S*in\.csv, then run the same command again: the next run mends those rows if the bytes the job read are unchanged, else scores the new content afresh$/);
    const refusal = error instanceof OutputKeptError ? error.cause : error;
    expect(formatSummary(runFiguresOf(refusal) as Summary, undefined, undefined, mendAgainOf(refusal)).trimEnd().split('\n').at(-1)).toMatch(
      /^ {2}\d+ rows failed transiently, not mended as the input changed: put the export back at \S*in\.csv, then run the same command again; the next run re-scores just those \d+ if the bytes the job read are unchanged, else scores the new content afresh$/,
    );
  });

  // Rewritten as its last listed row is sent, after the last --checkpoint-interval look: the look once every row is
  // read refuses it (mend-job.ts), or the copy mixing two exports replaced the output, exit 0.
  it("a rerun's mend, the input rewritten at its last request: still refused before the copy replaces the output", async () => {
    const output = path.join(dir, 'out.csv');
    const { before } = await completedWithOddFailed(output);
    const mend = { count: 0 };
    const settings = { ...settingsFor(output), checkpointIntervalMs: 600_000 };
    const error = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, mend, (n) => n === ROWS / 4 && write('good')) }).catch((e: unknown) => e);
    refusedForInput(error);
    expect(mend.count).toBe(ROWS / 4);
    expect(readFileSync(output).equals(before)).toBe(true);
  });

  it('the change is found at the next --checkpoint-interval: the mend stops there rather than paying for every listed row', async () => {
    const output = path.join(dir, 'out.csv');
    const { before, outage } = await completedWithOddFailed(output);

    // One request at a time, 20 ms each: the 300 listed rows would take 6 s; the input is rewritten at the first.
    const mend = { count: 0 };
    const slow = remoteScorer(() => false, mend, (n) => n === 1 && write('good'));
    const score = slow.score.bind(slow);
    slow.score = async (text: string) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return score(text);
    };
    const settings = { ...settingsFor(output), concurrency: 1, checkpointIntervalMs: 200 };
    const error = await runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => slow }).catch((e: unknown) => e);
    refusedForInput(error);
    expect(mend.count).toBeLessThan(ROWS / 8);
    expect(readFileSync(output).equals(before)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(checkpointOf(output).totals).toMatchObject({ read: ROWS, failed: ROWS / 4, requests: outage.count + mend.count });
  });

  // A --limit job reads only its first records: rows appended past them change the file, not a byte it reads. The pass
  // completes over them (same-input.ts readPartUnchanged), so its mend did too: it was refused, exit 3, saying the input
  // changed "while the rows that had failed were being mended", of rows appended before the mend began.
  const appended = () => writeFileSync(input(), `${readFileSync(input(), 'utf8')}${ROWS + 1},appended good review\n`);

  it("a resumed --limit run's mend, rows appended past the limit during its pass: the rows mended, exit 0", async () => {
    write('fine');
    const output = path.join(dir, 'out.csv');
    const limit = ROWS / 2;
    const paused = await runJob({ ...settingsFor(output), limit, maxRequests: limit / 2 }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, { count: 0 }) });
    expect(paused.exitCode).toBe(75);
    expect(paused.totals.failed).toBeGreaterThan(0);

    const summary = await runJob({ ...settingsFor(output), limit }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }, (n) => n === 1 && appended()) });
    expect(summary.exitCode).toBe(0);
    expect(summary.totals).toMatchObject({ read: limit, failed: 0 });
    expect(readFileSync(output, 'utf8').split('\n').filter((line) => line.startsWith(`${ROWS + 1},`))).toEqual([]);
    expect(existsSync(`${output}.failed-rows`)).toBe(false);
  });

  it("a completed --limit job's rerun mends its failed rows while rows are appended past the limit: mended, exit 0", async () => {
    write('fine');
    const output = path.join(dir, 'out.csv');
    const limit = ROWS / 2;
    expect((await runJob({ ...settingsFor(output), limit }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, { count: 0 }) })).totals.failed).toBe(limit / 4);

    const summary = await runJob({ ...settingsFor(output), limit }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }, (n) => n === 1 && appended()) });
    expect(summary.exitCode).toBe(0);
    expect(summary.totals).toMatchObject({ read: limit, failed: 0 });
    expect(existsSync(`${output}.failed-rows`)).toBe(false);
  });

  it("a completed --limit job's rerun, the part it read rewritten at the same length: still refused, exit 3", async () => {
    write('fine');
    const output = path.join(dir, 'out.csv');
    const limit = ROWS / 2;
    await runJob({ ...settingsFor(output), limit }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, { count: 0 }) });
    const before = readFileSync(output);
    const error = await runJob({ ...settingsFor(output), limit }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }, (n) => n === 1 && write('good')) }).catch((e: unknown) => e);
    refusedForInput(error);
    expect(readFileSync(output).equals(before)).toBe(true);
  });

  it("a resumed run's mend of an earlier run's failed rows, the input rewritten at the same length: exit 3, the rows unmended", async () => {
    write('fine');
    const output = path.join(dir, 'out.csv');
    const outage = { count: 0 };
    const half = ROWS / 2;
    const paused = await runJob({ ...settingsFor(output), maxRequests: half }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(odd, outage) });
    expect(paused.exitCode).toBe(75);
    const failedBefore = paused.totals.failed;
    expect(failedBefore).toBeGreaterThan(0);

    // The pass sends the rows it has left; the request after them is the mend's first.
    const second = { count: 0 };
    const left = ROWS - paused.totals.read;
    const error = await runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, second, (n) => n === left + 1 && write('good')) }).catch((e: unknown) => e);
    refusedForInput(error);
    expect(second.count).toBeGreaterThan(left);
    const figures = runFiguresOf(error instanceof OutputKeptError ? error.cause : error);
    expect(formatSummary(figures as Summary).split('\n')[0]).toBe(`Not mended, the input changed; the output is as it was: ${output}`);
    // The output is the completed pass's: every row of the old export, the earlier run's failed rows still failed.
    const text = readFileSync(output, 'utf8');
    expect(text).not.toContain('good review');
    expect(text.split('\n').filter((line) => line.startsWith('odd') || /^\d+,odd /.test(line)).length).toBe(ROWS / 4);
    expect(existsSync(`${output}.partial`)).toBe(false);
    const checkpoint = checkpointOf(output);
    expect(checkpoint.completed).toBe(true);
    expect(checkpoint.totals).toMatchObject({ read: ROWS, failed: failedBefore, requests: outage.count + second.count });
  });
});
