import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { checkpointProblem } from '../src/job/prove-checkpoint.js';
import { openSource, type Source } from '../src/job/source.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

// Every opening of the input, with the decompressed offset it starts at (bytes decompressed only to be skipped).
const opened = vi.hoisted(() => [] as Array<{ gzip: boolean; startOffset: number }>);
vi.mock('../src/io/open-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/io/open-input.js')>();
  return {
    ...actual,
    openInput: (file: string, options: { gzip: boolean; startOffset?: number }) => {
      opened.push({ gzip: options.gzip, startOffset: options.startOffset ?? 0 });
      return actual.openInput(file, options);
    },
  };
});

const ROWS = 400;
const WRITTEN = 150;
const OUTCOME: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };

/**
 * Proving a checkpoint reads the record that ends where the run resumes; for a
 * gzip input the resume continues that reader instead of decompressing the
 * input from its start a second time. The records it yields are the ones a
 * new reader at the resume offset yields (bytes, offsets and indexes).
 */
describe('resuming a gzip input decompresses it once', () => {
  let dir: string;
  let cleanup: () => void;
  const sources: Source[] = [];
  /** Each source's file size, as the run gives the proof. */
  const sizes = new Map<Source, number>();
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.release();
  });

  const open = async (name: string, bytes: Buffer, extra: Partial<JobSettings> = {}): Promise<Source> => {
    const input = path.join(dir, name);
    writeFileSync(input, bytes);
    const source = await openSource({ ...DEFAULTS, input, output: path.join(dir, 'unused.csv'), text: ['review'], ...extra }, input);
    sources.push(source);
    sizes.set(source, statSync(input).size);
    return source;
  };
  const collect = async (records: AsyncIterable<InputRecord>): Promise<InputRecord[]> => {
    const all: InputRecord[] = [];
    for await (const record of records) all.push(record);
    return all;
  };

  /** The paused state after `written` records: a partial output holding them and its checkpoint. */
  const paused = (source: Source, records: InputRecord[], written: number): { checkpoint: Checkpoint; partialPath: string } => {
    const rows = records.slice(0, written).map((record) => source.formatRecord(record, OUTCOME));
    const partialPath = path.join(dir, `paused-${sources.length}.csv.partial`);
    writeFileSync(partialPath, source.outputHeader + rows.join(''));
    const last = records[written - 1] as InputRecord;
    const lastInputStart = (records[written - 2] as InputRecord).byteEnd;
    const outputBytes = Buffer.byteLength(source.outputHeader + rows.join(''));
    const position = { inputOffset: last.byteEnd, outputBytes, nextIndex: last.index + 1, lastInputStart, lastOutputStart: outputBytes - Buffer.byteLength(rows.at(-1) as string) };
    return { checkpoint: { completed: false, settings: {}, position } as unknown as Checkpoint, partialPath };
  };

  const proveThenResume = async (source: Source, all: InputRecord[]) => {
    const { checkpoint, partialPath } = paused(source, all, WRITTEN);
    opened.length = 0;
    const problem = await checkpointProblem(checkpoint, 'resume', { source, inputSize: sizes.get(source) as number, partialPath, outputPath: 'unused' });
    expect(problem).toBeUndefined();
    const rest = await collect(source.records(checkpoint.position.inputOffset, checkpoint.position.nextIndex));
    return { rest, openings: [...opened], checkpoint };
  };

  for (const [format, name, text] of [
    ['CSV', 'in.csv.gz', syntheticCsv(ROWS)],
    ['JSONL', 'in.jsonl.gz', Array.from({ length: ROWS }, (_, i) => `${JSON.stringify({ id: i, review: `review ${i} good` })}\n`).join('')],
  ] as const) {
    it(`${format}: the proof's reader goes on to the end, numbered as a new reader would number it`, async () => {
      const source = await open(name, gzipSync(text));
      const all = await collect(source.records(source.firstRecordOffset, 0));
      expect(all).toHaveLength(ROWS);
      const { rest, openings, checkpoint } = await proveThenResume(source, all);
      // One pass: the proof's, skipping to the last written record; none from the input's start again.
      expect(openings).toEqual([{ gzip: true, startOffset: checkpoint.position.lastInputStart }]);
      expect(rest).toEqual(all.slice(WRITTEN));
    });
  }

  it('with --limit, the continued reader stops at the same record', async () => {
    const source = await open('limited.csv.gz', gzipSync(syntheticCsv(ROWS)), { limit: 200 });
    const all = await collect(source.records(source.firstRecordOffset, 0));
    expect(all.filter((r) => r.passThrough !== true)).toHaveLength(200);
    const { rest, openings } = await proveThenResume(source, all);
    expect(openings).toHaveLength(1);
    expect(rest).toEqual(all.slice(WRITTEN));
  });

  it('a start from elsewhere (the proof failed, the partial output was gone) closes the kept reader and reads anew', async () => {
    const source = await open('restart.csv.gz', gzipSync(syntheticCsv(ROWS)));
    const all = await collect(source.records(source.firstRecordOffset, 0));
    const { checkpoint, partialPath } = paused(source, all, WRITTEN);
    expect(await checkpointProblem(checkpoint, 'resume', { source, inputSize: sizes.get(source) as number, partialPath, outputPath: 'unused' })).toBeUndefined();
    opened.length = 0;
    expect(await collect(source.records(source.firstRecordOffset, 0))).toEqual(all);
    expect(opened).toEqual([{ gzip: true, startOffset: source.firstRecordOffset }]);
  });

  it('a plain input keeps no reader open: it seeks again for the resume', async () => {
    const source = await open('plain.csv', Buffer.from(syntheticCsv(ROWS)));
    const all = await collect(source.records(source.firstRecordOffset, 0));
    const { rest, openings, checkpoint } = await proveThenResume(source, all);
    expect(openings).toEqual([
      { gzip: false, startOffset: checkpoint.position.lastInputStart },
      { gzip: false, startOffset: checkpoint.position.inputOffset },
    ]);
    expect(rest).toEqual(all.slice(WRITTEN));
  });
});
