import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { OutputKeptError } from '../src/errors.js';
import { runFiguresOf } from '../src/job/run-figures.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import type { Scorer } from '../src/scoring/scorer.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';

/** What the checkpoint's writes meet: `refuseMending` refuses the one recording that a mended copy replaces the output. */
const disk = { refuseMending: false };

vi.mock('../src/state/checkpoint.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/checkpoint.js')>();
  return {
    ...real,
    writeCheckpoint: async (file: string, checkpoint: Checkpoint): Promise<void> => {
      if (disk.refuseMending && checkpoint.mending !== undefined) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
      }
      return real.writeCheckpoint(file, checkpoint);
    },
  };
});

/**
 * A disk full to the last block when a mend, its copy complete, records that the copy replaces the output (found with
 * a tmpfs and a filler leaving room for the copy and the journal only: exit 74 naming the checkpoint). The summary said
 * 'rows 3: scored 3', the job's failed rows 0 and its requests twice (4,786 for 3,000 + 893), while the output and
 * the checkpoint were as before the mend (3 rows failed, the mend's requests in neither), and the mended copy (the
 * output's size) was left on the full disk. Now the figures are the checkpoint's, which keeps the requests paid.
 */
describe('a mend whose checkpoint is refused before its copy replaces the output', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => {
    disk.refuseMending = false;
    cleanup();
  });

  const ROWS = 12;
  const lines = Array.from({ length: ROWS }, (_, i) => `${i + 1},${i % 4 === 1 ? 'odd' : 'fine'} review ${i + 1}`);
  const settingsFor = (output: string): JobSettings => remoteSettings(path.join(dir, 'in.csv'), output);
  const run = (output: string, scorer: Scorer) => runJob(settingsFor(output), { log: quiet(), stop: new StopController(), createScorer: () => scorer });
  const checkpointOf = (output: string) => JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;

  it('says what is on disk: the rows unmended, the requests counted once and kept; no copy left; the next run mends', async () => {
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${lines.join('\n')}\n`);
    const clean = path.join(dir, 'clean.csv');
    expect((await run(clean, remoteScorer(() => false, { count: 0 }))).exitCode).toBe(0);
    const output = path.join(dir, 'out.csv');
    const outage = { count: 0 };
    expect((await run(output, remoteScorer((text) => text.includes('odd'), outage))).totals.failed).toBe(3);
    const before = readFileSync(output);

    disk.refuseMending = true;
    // One of the three fails again: the mended copy has a list of its own (.failed-rows.next, sealed to the copy).
    const mend = { count: 0 };
    const error = await run(output, remoteScorer((text) => text.includes('odd review 2'), mend)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputKeptError);
    expect(mend.count).toBe(3);
    const figures = runFiguresOf((error as OutputKeptError).cause);
    // The output and the checkpoint as before the mend, but for the requests it paid, counted once.
    expect(readFileSync(output).equals(before)).toBe(true);
    const checkpoint = checkpointOf(output);
    expect(checkpoint.mending).toBeUndefined();
    expect(checkpoint.totals).toMatchObject({ read: ROWS, scored: ROWS - 3, failed: 3, requests: outage.count + 3 });
    expect(figures).toMatchObject({ exitCode: 74, outputComplete: true, totals: checkpoint.totals, failedRows: { retry: 3, final: 0 } });
    expect(figures?.run.totals).toMatchObject({ read: 0, scored: 0, failed: 0, requests: 3 });
    expect(figures?.run.labels).toEqual({});
    // The mended copy and its list, sealed to it, are gone: they took the space the checkpoint needed.
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(existsSync(`${output}.failed-rows.next`)).toBe(false);

    // Space freed: the next run mends from the journal and ends as a run that never failed.
    disk.refuseMending = false;
    const again = { count: 0 };
    const done = await run(output, remoteScorer(() => false, again));
    expect(done.exitCode).toBe(0);
    // The row that failed again is sent again; the other two were answered, and their answers kept in the journal.
    expect(again.count).toBe(1);
    expect(done.totals).toMatchObject({ read: ROWS, scored: ROWS, failed: 0, requests: outage.count + 3 + 1 });
    expect(readFileSync(output).equals(readFileSync(clean))).toBe(true);
  });

  // Texts only a number are counted into the output's figures with the labels once a mend's copy is to replace the output
  // (mend-job.ts addNumberOnly); refused there, they are put back with them: else the checkpoint said the output held
  // number-only rows it still holds failed, and an "already done" rerun would say so.
  it("the count of texts only a number is put back with the labels, and counted once the next run mends them", async () => {
    const numbers = Array.from({ length: ROWS }, (_, i) => `${i + 1},${i % 4 === 1 ? String(i + 1) : `fine review ${i + 1}`}`);
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${numbers.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const onlyNumber = (text: string) => /^\d+$/.test(text);
    expect((await run(output, remoteScorer(onlyNumber, { count: 0 }))).totals.failed).toBe(3);
    expect(checkpointOf(output).numberOnly).toEqual({ rows: 0, firstRow: 0 });

    disk.refuseMending = true;
    const error = await run(output, remoteScorer(() => false, { count: 0 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputKeptError);
    const checkpoint = checkpointOf(output);
    expect([checkpoint.totals.failed, checkpoint.labels, checkpoint.numberOnly]).toEqual([3, { POSITIVE: ROWS - 3, NEGATIVE: 0 }, { rows: 0, firstRow: 0 }]);
    expect(runFiguresOf((error as OutputKeptError).cause)?.numberOnly).toBeUndefined();

    disk.refuseMending = false;
    const done = await run(output, remoteScorer(() => false, { count: 0 }));
    expect([done.exitCode, done.numberOnly]).toEqual([0, { rows: 3, firstRow: 2 }]);
    expect(checkpointOf(output).numberOnly).toEqual({ rows: 3, firstRow: 2 });
  });

  it('a resumed run that completes the output, then mends: the summary says the output is complete, with the requests', async () => {
    // Its summary began 'Stopped: out.csv.partial' (a file the rename had removed), without outputComplete or the rows
    // left to mend, and before the fix above its requests missed the mend's.
    writeFileSync(path.join(dir, 'in.csv'), `id,text\n${lines.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const outage = { count: 0 };
    const paused = await runJob({ ...settingsFor(output), maxRequests: 6 }, { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer((text) => text.includes('odd'), outage) });
    expect(paused.exitCode).toBe(75);
    const listed = paused.totals.failed;
    expect(listed).toBeGreaterThan(0);

    disk.refuseMending = true;
    const resumed = { count: 0 };
    const error = await run(output, remoteScorer(() => false, resumed)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputKeptError);
    const figures = runFiguresOf((error as OutputKeptError).cause);
    const checkpoint = checkpointOf(output);
    expect(checkpoint.totals).toMatchObject({ read: ROWS, failed: listed, requests: outage.count + resumed.count });
    expect(figures).toMatchObject({ exitCode: 74, outputComplete: true, totals: checkpoint.totals, failedRows: { retry: listed, final: 0 } });
    expect(figures?.run.totals).toMatchObject({ read: ROWS - paused.totals.read, requests: resumed.count });
    expect(existsSync(output)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });
});
