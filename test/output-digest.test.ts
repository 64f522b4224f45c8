import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadFailedRows, writeFailedRows, type FailedRow } from '../src/mend/failed-rows.js';
import { completedOutputSha256, fileSha256 } from '../src/state/output-digest.js';
import { tempDir } from './support/cli.js';

/** Whole reads of a file opened by the project's no-follow open (each digest streams the file once). */
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/state/no-follow.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/no-follow.js')>();
  return {
    ...real,
    openExistingNoFollow: async (...args: Parameters<typeof real.openExistingNoFollow>): Promise<FileHandle> => {
      const handle = await real.openExistingNoFollow(...args);
      const stream = handle.createReadStream.bind(handle);
      handle.createReadStream = (options) => {
        reads.count += 1;
        return stream(options);
      };
      return handle;
    },
  };
});

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const row: FailedRow = { index: 0, inputStart: 5, inputEnd: 11, outputStart: 9, outputEnd: 30, code: 'http_500' };

describe('the sha256 of a completed output', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    reads.count = 0;
  });
  afterEach(() => cleanup());

  // A completing run seals the list of failed rows to its partial output, then records the same bytes' digest in the
  // checkpoint and renames the partial over the output; the rerun that mends proves that digest, then the list's seal.
  // Each was a read of the whole output (strace: twice at the end of a run with failed rows, twice before a mend).
  it('reads the output once for the list, the checkpoint, the rename and the rerun', async () => {
    const output = path.join(dir, 'out.csv');
    const partialPath = `${output}.partial`;
    const list = `${output}.failed-rows`;
    writeFileSync(partialPath, 'id,text,sentiment\n0,"bad",,http_500\n'.repeat(50));
    const expected = sha256(partialPath);

    await writeFailedRows(list, [row], partialPath);
    expect(await completedOutputSha256({ outputPath: output, partialPath })).toBe(expected);
    renameSync(partialPath, output);
    expect(await completedOutputSha256({ outputPath: output, partialPath })).toBe(expected);
    expect(await fileSha256(output)).toBe(expected);
    const loaded = await loadFailedRows(list, output);

    expect(loaded.list).toBe('matches');
    expect(JSON.parse(readFileSync(list, 'utf8').split('\n')[0] as string)).toMatchObject({ outputHash: expected });
    expect(reads.count).toBe(1);
  });

  it('reads a file again once it changed: longer, or rewritten at the same length', async () => {
    const file = path.join(dir, 'out.csv');
    writeFileSync(file, 'one\n');
    expect(await fileSha256(file)).toBe(sha256(file));
    appendFileSync(file, 'two\n');
    expect(await fileSha256(file)).toBe(sha256(file));
    // The same length, a later modification time (a label edited by hand).
    const { mtime } = statSync(file);
    writeFileSync(file, 'one\nTWO\n');
    utimesSync(file, mtime, new Date(mtime.getTime() + 1000));
    expect(await fileSha256(file)).toBe(sha256(file));
    expect(await fileSha256(file)).toBe(createHash('sha256').update('one\nTWO\n').digest('hex'));
    expect(reads.count).toBe(3);
  });
});
