import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import type { InputRecord } from '../src/io/record.js';
import { OutputFile } from '../src/io/output-file.js';
import type { RowResult } from '../src/job/dedupe.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { runPipeline, type Position } from '../src/job/pipeline.js';
import { StopController } from '../src/job/stop.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { quietPipelineSlots } from './support/pipeline-slots.js';
import { slowRemoteRows } from './support/slow-remote.js';

async function* records(count: number): AsyncGenerator<InputRecord> {
  for (let i = 0; i < count; i++) {
    yield { index: i, byteEnd: (i + 1) * 10, text: { ok: true, value: `text ${i}` }, raw: `${i}` };
  }
}

const scored: RowResult = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An output on a disk that fills up: the write after the first `writes` throws ENOSPC, as a full disk's does. */
function fullAfterWrites(writes: number) {
  let written = 0;
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return { bytes: 0, write: async () => { if (++written > writes) throw full; }, writeBytes: async () => undefined, flush: async () => undefined, sync: async () => 0, close: async () => undefined };
}

describe('runPipeline', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = async (count: number, score: (text: string) => RowResult | Promise<RowResult>, extra: { stop?: StopController; guard?: ErrorGuard } = {}) => {
    const file = path.join(dir, 'out');
    const output = await OutputFile.create(file);
    const checkpoints: Position[] = [];
    const totals = emptyTotals();
    const end = await runPipeline({
      records: records(count),
      score,
      format: (record, outcome) => `${record.index}:${outcome.kind}\n`,
      output,
      stop: extra.stop ?? new StopController(),
      guard: extra.guard ?? new ErrorGuard(undefined, 0.5),
      totals,
      position: { inputOffset: 0, outputBytes: 0, nextIndex: 0 },
      window: 16,
      checkpointIntervalMs: 0,
      checkpoint: async (position) => {
        checkpoints.push(position);
      },
      graceMs: 200,
    });
    await output.close();
    return { end, text: readFileSync(file, 'utf8'), checkpoints, totals };
  };

  it('writes in input order whatever order the answers come in', async () => {
    // Later rows answer sooner: the reorder window must hold them back.
    const { end, text, totals } = await run(200, async (t) => {
      const i = Number(t.split(' ')[1]);
      await delay((200 - i) % 7);
      return scored;
    });
    expect(end.complete).toBe(true);
    expect(text.split('\n').slice(0, -1)).toEqual(Array.from({ length: 200 }, (_, i) => `${i}:scored`));
    const lastRow = Buffer.byteLength('199:scored\n');
    expect(end.position).toEqual({ inputOffset: 2000, outputBytes: Buffer.byteLength(text), nextIndex: 200, lastInputStart: 1990, lastOutputStart: Buffer.byteLength(text) - lastRow });
    expect(totals.read).toBe(200);
  });

  it('every checkpoint describes a prefix of the output exactly', async () => {
    const { text, checkpoints } = await run(100, async () => {
      await delay(1);
      return scored;
    });
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const c of checkpoints) {
      const prefix = Buffer.from(text).subarray(0, c.outputBytes).toString();
      const lines = prefix.split('\n').slice(0, -1);
      expect(lines).toHaveLength(c.nextIndex);
      expect(c.inputOffset).toBe(c.nextIndex * 10);
    }
  });

  it('stops writing at the first abandoned row, so the next run starts there', async () => {
    const stop = new StopController();
    const { end, text } = await run(
      50,
      (t) => {
        const i = Number(t.split(' ')[1]);
        if (i === 20) {
          stop.request({ kind: 'pause', error: new SentimentBatchError('daily_quota', 'used up') });
          return { kind: 'abandoned' };
        }
        return scored;
      },
      { stop },
    );
    expect(end.complete).toBe(false);
    expect(end.position.nextIndex).toBe(20);
    expect(text.split('\n').slice(0, -1)).toHaveLength(20);
  });

  it('abandons rows still running when the grace period ends', async () => {
    const stop = new StopController();
    const { end } = await run(
      40,
      (t) => {
        const i = Number(t.split(' ')[1]);
        if (i === 5) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
        if (i < 3) return scored;
        // Never finishes on its own; gives up when the stop aborts in-flight work.
        return new Promise<RowResult>((resolve) => stop.signal.addEventListener('abort', () => resolve({ kind: 'abandoned' })));
      },
      { stop },
    );
    expect(end.position.nextIndex).toBe(3);
  });

  it('trips the error guard when most rows sent fail', async () => {
    const stop = new StopController();
    const { end, totals } = await run(500, () => ({ kind: 'failed', failure: { code: 'http_500', message: 'x' } }), { stop, guard: new ErrorGuard(undefined, 0.5) });
    expect(end.complete).toBe(false);
    expect(stop.reason?.kind).toBe('too_many_errors');
    expect(totals.failed).toBeLessThan(500);
    expect(totals.failed).toBeGreaterThanOrEqual(50);
  });
  /**
   * Five rows that each fail (the guard, 4 errors at most, trips on the fifth), then `after`; answered late when `ahead`
   * (Workers AI reads every record before the row that trips the guard is written), at once otherwise (the embedded model).
   */
  async function guardTrippedThen(after: InputRecord[], ahead = false) {
    const file = path.join(dir, 'out');
    const output = await OutputFile.create(file);
    const stop = new StopController();
    const totals = emptyTotals();
    async function* rowsThenAfter(): AsyncGenerator<InputRecord> {
      for (let i = 0; i < 5; i++) yield { index: i, byteEnd: (i + 1) * 10, text: { ok: true, value: `text ${i}` }, raw: `${i}` };
      yield* after;
    }
    const failed: RowResult = { kind: 'failed', failure: { code: 'http_500', message: 'x' } };
    const end = await runPipeline({
      records: rowsThenAfter(),
      score: ahead ? async () => (await delay(20), failed) : () => failed,
      format: (record, outcome) => (record.passThrough ? record.raw : `${record.index}:${outcome.kind}\n`),
      output,
      stop,
      guard: new ErrorGuard(4, 0.5),
      totals,
      ...quietPipelineSlots(),
    });
    await output.close();
    return { end, stop, totals, written: readFileSync(file, 'utf8') };
  }
  const repeatedHeader: InputRecord = { index: 5, byteEnd: 58, text: { ok: false, failure: { code: 'repeated_header', message: 'the row repeats the header' } }, raw: 'id,text\n' };

  // The guard tripping on the input's last row completes the output (a4cfd22); blank lines after that row (a file ending
  // in "\n\n") are no rows: they left a .partial (exit 5, "Stopped") that the next run only completed (exit 0), with
  // either backend, where the same file without them was Done at once.
  it.each([
    ['read none ahead (the embedded model)', false],
    ['read to the end ahead (Workers AI)', true],
  ])('a guard tripped on the last row, then blank lines only: %s, the output is complete, the blanks written', async (_name, ahead) => {
    const { end, stop, totals, written } = await guardTrippedThen(
      [
        { index: 5, byteEnd: 51, text: { ok: true, value: '' }, raw: '\n', passThrough: true },
        { index: 5, byteEnd: 52, text: { ok: true, value: '' }, raw: '\n', passThrough: true },
      ],
      ahead,
    );
    expect(stop.reason?.kind).toBe('too_many_errors');
    expect(end.complete).toBe(true);
    expect(written).toBe('0:failed\n1:failed\n2:failed\n3:failed\n4:failed\n\n\n');
    expect(end.position.inputOffset).toBe(52);
    expect(end.unwritten).toBe(0);
    expect(totals.read).toBe(5);
  });

  // A repeated header (files joined with cat) is no data either: skipped as repeated_header, not toward the guard. As the
  // input's last line, after the row that trips the guard, it left a .partial (exit 5) where a blank line there did not.
  it.each([
    ['read none ahead (the embedded model)', false],
    ['read to the end ahead (Workers AI)', true],
  ])('a guard tripped on the last row, then a repeated header and a blank line: %s, the output is complete, both written', async (_name, ahead) => {
    const { end, stop, totals, written } = await guardTrippedThen([repeatedHeader, { index: 6, byteEnd: 59, text: { ok: true, value: '' }, raw: '\n', passThrough: true }], ahead);
    expect(stop.reason?.kind).toBe('too_many_errors');
    expect(end.complete).toBe(true);
    expect(written).toBe('0:failed\n1:failed\n2:failed\n3:failed\n4:failed\n5:skipped\n\n');
    expect(end.position.inputOffset).toBe(59);
    expect(end.unwritten).toBe(0);
    expect(totals.read).toBe(6);
    expect(totals.skipped).toBe(1);
  });

  // A row after the repeated header is data: the stop leaves it (and the header before it) for the next run.
  it('a guard tripped, then a repeated header and a row: the output stops at the row that tripped it', async () => {
    const { end, written } = await guardTrippedThen([repeatedHeader, { index: 6, byteEnd: 68, text: { ok: true, value: 'text 6' }, raw: '6' }]);
    expect(end.complete).toBe(false);
    expect(written).toBe('0:failed\n1:failed\n2:failed\n3:failed\n4:failed\n');
    expect(end.position.inputOffset).toBe(50);
    // Read and not written: the header and the row, which the summary's "read but not written" counted as the header alone.
    expect(end.unwritten).toBe(2);
  });

  it('a fault writing the output stops the rows read ahead, and has the requests in flight answered before it is thrown', async () => {
    // A full disk under the partial output: the rows read ahead (up to the window) went on sending through the limiter
    // while the run unwound, after its summary's figures were taken.
    const stop = new StopController();
    const totals = emptyTotals();
    const { rows, limiter, counts } = slowRemoteRows(stop, totals);
    const output = fullAfterWrites(10);
    try {
      const pipeline = runPipeline({
        records: records(200),
        score: (text, index) => rows.score(text, index),
        format: (record, outcome) => `${record.index}:${outcome.kind}\n`,
        output,
        stop,
        guard: new ErrorGuard(undefined, 0.5),
        totals: emptyTotals(),
        ...quietPipelineSlots(),
        window: 32,
        graceMs: 5000,
      });
      await expect(pipeline).rejects.toThrow(/ENOSPC/);
      const atFault = counts.sent;
      expect(counts.answered).toBe(atFault);
      expect(totals.requests).toBe(atFault);
      await delay(300);
      expect(counts.sent).toBe(atFault);
    } finally {
      await limiter.stop();
    }
  });

  it('a fault says how many records read it leaves unwritten: the one whose write the disk refused, and those read ahead', async () => {
    // Was: only a stop said them (`unwritten`); after a full disk (exit 74) the rows read past the last one counted were
    // in no figure of the run's summary.
    let read = 0;
    async function* counting(): AsyncGenerator<InputRecord> {
      for await (const record of records(200)) {
        read += 1;
        yield record;
      }
    }
    const totals = emptyTotals();
    const output = fullAfterWrites(10);
    let told: number | undefined;
    const pipeline = runPipeline({
      records: counting(),
      // Answers come a little later: the rows read ahead wait in the window when the fault comes.
      score: () => delay(2).then(() => scored),
      format: (record, outcome) => `${record.index}:${outcome.kind}\n`,
      output,
      stop: new StopController(),
      guard: new ErrorGuard(undefined, 0.5),
      totals,
      ...quietPipelineSlots(),
      onFault: (unwritten) => (told = unwritten),
    });
    await expect(pipeline).rejects.toThrow(/ENOSPC/);
    expect(totals.read).toBe(10);
    expect(read).toBeGreaterThan(11);
    expect(told).toBe(read - totals.read);
  });

  it('a row whose promise rejects stops the run as a fatal internal error, not an unhandled rejection', async () => {
    const stop = new StopController();
    const { end, text, totals } = await run(
      10,
      async (t) => {
        if (t === 'text 3') throw new Error('a bug');
        return scored;
      },
      { stop },
    );
    expect(end.complete).toBe(false);
    expect(text).toBe('0:scored\n1:scored\n2:scored\n');
    expect(totals.read).toBe(3);
    expect(stop.reason?.kind).toBe('fatal');
    const error = (stop.reason as { error: SentimentBatchError }).error;
    expect(error.code).toBe('internal');
    expect(error.message).toBe('unexpected error while scoring: Error: a bug');
  });
});
