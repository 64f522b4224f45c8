// The record-size bound is one run's (io/record-bound.ts RecordBound, entered by the score command and runJob), not
// this module's: two runs in one process (tests, scoreInProcess) each judge their records under their own memory limit.
// Kept in the module, the first run's read of the process's limit (and a resume's job limit) stayed for every later
// run: a run with no limit after one under 32 MiB refused a 1.1 MB CSV record it parses (lowfix86).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_TOO_LARGE } from '../src/io/oversized-record.js';
import { jobMemoryLimit, judgeUnderJobLimit, MAX_RECORD_BYTES, maxParsedRecordBytes, tooLargeCause, withRunRecordBound } from '../src/io/record-bound.js';
import { memoryLimit } from '../src/process/memory-room.js';
import { useTempDir } from './support/e2e-dir.js';
import { scoreInProcess } from './support/score-in-process.js';

const MIB = 1024 * 1024;
/** 1.1 MB: over the 1 MiB a CSV record may have under a 32 MiB limit, under the 16 MiB of no limit. */
const BIG = 'great plot '.repeat(100_000);

const constrainedMemory = process.constrainedMemory;
afterEach(() => {
  process.constrainedMemory = constrainedMemory;
});

describe('two runs in one process, under different memory limits', () => {
  const temp = useTempDir();

  /** `score` in this process under `limit` (what process.constrainedMemory answers, as a container's would): the labels of its rows. */
  const labelsUnder = async (limit: number | undefined, output: string): Promise<{ labels: string[]; errors: string[] }> => {
    process.constrainedMemory = limit === undefined ? constrainedMemory : () => limit;
    const input = temp.file('big.csv', `id,review\n1,good\n2,"${BIG}"\n3,awful\n`);
    const r = await scoreInProcess([input, '--text-column', 'review', '-o', temp.path(output), '--backend', 'embedded']);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(temp.path(output)), { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
    return { labels: rows.map((row) => row.sentiment_label ?? ''), errors: rows.map((row) => (row.sentiment_error ?? '').split(':')[0] ?? '') };
  };

  it('each judges its records under its own limit, whichever ran first', async () => {
    // Neither this machine nor the test runner limits the memory (a limit would make the first run refuse the record too).
    expect(memoryLimit()).toBeUndefined();
    expect(await labelsUnder(undefined, 'none-first.csv')).toEqual({ labels: ['POSITIVE', 'POSITIVE', 'NEGATIVE'], errors: ['', '', ''] });
    expect(await labelsUnder(32 * MIB, 'limited.csv')).toEqual({ labels: ['POSITIVE', '', 'NEGATIVE'], errors: ['', RECORD_TOO_LARGE, ''] });
    expect(await labelsUnder(undefined, 'none-after.csv')).toEqual({ labels: ['POSITIVE', 'POSITIVE', 'NEGATIVE'], errors: ['', '', ''] });
  });
});

describe('a resumed job\'s limit stays with its run', () => {
  it('a run that judged under its job\'s 32 MiB leaves the next run its own bound and its own checkpoint limit', async () => {
    expect(memoryLimit()).toBeUndefined();
    const resumed = await withRunRecordBound(async () => {
      expect(judgeUnderJobLimit(32 * MIB)).toBeUndefined();
      await Promise.resolve();
      return { bytes: maxParsedRecordBytes('csv'), recorded: jobMemoryLimit(), cause: tooLargeCause() };
    });
    expect(resumed).toEqual({ bytes: MIB, recorded: 32 * MIB, cause: 'records over 1 MiB (CSV) or 2 MiB (JSONL)' });
    const next = withRunRecordBound(() => ({ bytes: maxParsedRecordBytes('csv'), recorded: jobMemoryLimit(), cause: tooLargeCause() }));
    expect(next).toEqual({ bytes: MAX_RECORD_BYTES, recorded: null, cause: 'records over 16 MiB' });
    // Outside any run (`report`): this process's limit.
    expect(maxParsedRecordBytes('jsonl')).toBe(MAX_RECORD_BYTES);
  });
});
