import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { OutputFile } from '../src/io/output-file.js';
import type { RowResult } from '../src/job/dedupe.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { runPipeline, type Position } from '../src/job/pipeline.js';
import { StopController } from '../src/job/stop.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';

// A last record with no line feed may be a row a writer (an export still being appended) has not finished. A checkpoint
// after it passes the next run's `consumed` comparison (its bytes are a prefix of the finished file's) and fails only
// the proof of its last row, which found that row longer and started the whole job over: every row paid again.

/** `count` records of 10 bytes each, each ended by `ending`, the last one by `lastEnding`. */
async function* lines(count: number, ending: string, lastEnding: string): AsyncGenerator<InputRecord> {
  for (let i = 0; i < count; i++) {
    yield { index: i, byteEnd: (i + 1) * 10, text: { ok: true, value: `text ${i}` }, raw: `${i}${i === count - 1 ? lastEnding : ending}` };
  }
}

const scored: RowResult = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };

describe('a last record with no line feed', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = async (options: { records: AsyncIterable<InputRecord>; stopAt?: number; checkInputUnchanged?: () => Promise<void>; crEndsRecords?: boolean }) => {
    const file = path.join(dir, 'out');
    const output = await OutputFile.create(file);
    const stop = new StopController();
    const checkpoints: Position[] = [];
    const totals = emptyTotals();
    const end = await runPipeline({
      records: options.records,
      score: async (_text, index) => {
        // A SIGTERM while this row is sent: intake ends before the reader is asked for more.
        if (index === options.stopAt) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return scored;
      },
      format: (record, outcome) => `${record.raw.replace(/\r?\n?$|\r$/, '')}:${outcome.kind}\n`,
      output,
      stop,
      guard: new ErrorGuard(undefined, 0.5),
      totals,
      position: { inputOffset: 0, outputBytes: 0, nextIndex: 0 },
      window: 16,
      checkpointIntervalMs: 0,
      checkpoint: async (position) => {
        checkpoints.push({ ...position });
      },
      graceMs: 2000,
      ...(options.checkInputUnchanged ? { checkInputUnchanged: options.checkInputUnchanged } : {}),
      ...(options.crEndsRecords ? { crEndsRecords: true } : {}),
    });
    await output.close();
    return { end, text: readFileSync(file, 'utf8'), checkpoints, totals };
  };

  it('a stop before the reader ended leaves it unwritten: the position stands before it, and it is counted unwritten', async () => {
    const { end, text, checkpoints, totals } = await run({ records: lines(5, '\n', ''), stopAt: 4 });
    expect(end.complete).toBe(false);
    expect(end.position).toMatchObject({ inputOffset: 40, nextIndex: 4, lastInputStart: 30 });
    expect(end.unwritten).toBe(1);
    expect(totals.read).toBe(4);
    expect(text).toBe('0:scored\n1:scored\n2:scored\n3:scored\n');
    expect(checkpoints.map((c) => c.nextIndex)).toEqual([1, 2, 3, 4]);
  });

  it('ended with a line feed, the same stop writes it (nothing held back)', async () => {
    const { end } = await run({ records: lines(5, '\n', '\n'), stopAt: 4 });
    expect(end.position.nextIndex).toBe(5);
    expect(end.unwritten).toBe(0);
  });

  it('the input changed once the reader ended: it is left unwritten and the change is handed back', async () => {
    const changed = new Error('the input in.csv changed while it was being read');
    const { end, text, checkpoints } = await run({ records: lines(5, '\n', ''), checkInputUnchanged: () => Promise.reject(changed) });
    expect(end.complete).toBe(false);
    expect(end.inputChanged).toBe(changed);
    expect(end.position).toMatchObject({ inputOffset: 40, nextIndex: 4 });
    expect(end.unwritten).toBe(1);
    expect(text).toBe('0:scored\n1:scored\n2:scored\n3:scored\n');
    expect(checkpoints.at(-1)?.nextIndex).toBe(4);
  });

  it('the input unchanged: it is written and the pass completes, with no periodic checkpoint after it', async () => {
    let asked = 0;
    const { end, text, checkpoints } = await run({ records: lines(5, '\n', ''), checkInputUnchanged: async () => void (asked += 1) });
    expect(end.complete).toBe(true);
    expect(asked).toBe(1);
    expect(end.position).toMatchObject({ inputOffset: 50, nextIndex: 5, lastInputStart: 40 });
    expect(text).toBe('0:scored\n1:scored\n2:scored\n3:scored\n4:scored\n');
    // The completion's checkpoint follows it (complete-output.ts); a periodic one would stand after it meanwhile.
    expect(checkpoints.map((c) => c.nextIndex)).toEqual([1, 2, 3, 4]);
  });

  it('a CR-only file: each CR followed by another record ended its row, so checkpoints stand after every row but the last', async () => {
    let asked = 0;
    const { end, checkpoints } = await run({ records: lines(6, '\r', '\r'), checkInputUnchanged: async () => void (asked += 1) });
    expect(end.complete).toBe(true);
    expect(asked).toBe(1);
    expect(checkpoints.map((c) => c.nextIndex)).toEqual([1, 2, 3, 4, 5]);
  });

  // The completion's checkpoint asks it (complete-output.ts): read from the same look per row as the periodic one's.
  it.each([
    ['an LF', lines(5, '\n', '\n'), true],
    ['no line ending', lines(5, '\n', ''), false],
    ['a CR alone', lines(6, '\r', '\r'), false],
    ['no record at all', lines(0, '\n', '\n'), true],
  ])('the pass ends saying whether its last row written ended with a line feed: %s', async (_name, records, ended) => {
    const { end } = await run({ records, checkInputUnchanged: async () => undefined });
    expect(end.complete).toBe(true);
    expect(end.lastRowEnded).toBe(ended);
  });

  // CSV/TSV: a lone CR ends the record (last-row-ending.ts). Held, the limit's last row of a CR-only CSV was checked
  // against the whole file, and rows appended past it stopped the run (exit 3) where its LF twin completed.
  it('where a CR ends records, a last record ended by one is whole: written unasked, checkpointed, said ended', async () => {
    let asked = 0;
    const { end, checkpoints } = await run({ records: lines(6, '\r', '\r'), crEndsRecords: true, checkInputUnchanged: async () => void (asked += 1) });
    expect(end.complete).toBe(true);
    expect(asked).toBe(0);
    expect(end.lastRowEnded).toBe(true);
    expect(checkpoints.map((c) => c.nextIndex)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('where a CR ends records, a last record with no line ending at all is still held and asked about', async () => {
    let asked = 0;
    const { end } = await run({ records: lines(5, '\r', ''), crEndsRecords: true, checkInputUnchanged: async () => void (asked += 1) });
    expect(asked).toBe(1);
    expect(end.lastRowEnded).toBe(false);
  });
});
