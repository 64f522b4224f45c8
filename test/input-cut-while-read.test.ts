import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { openInput } from '../src/io/open-input.js';
import { tempDir } from './support/cli.js';

/**
 * The input rewritten in place with its own bytes while it is read (`cp -p export.csv in.csv` of the same export,
 * `rsync --inplace -t`): truncated, written back, its modification time restored. A reader that met the short file
 * ended there as at the end of the input; at the end of the run the file was the same size, time and bytes as at its
 * start, so nothing said it changed: `cp -p` in a loop against `serve` ended exit 0 with 9,236 of 20,000 rows, the last
 * one cut mid-text and scored, the job marked complete. The reader now ends with an InputError instead.
 */
describe('an input cut short while it is read, then put back as it was', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  /** Reads the first chunk, cuts the file to `cut` bytes, reads on to the end, then puts the file back as it was. */
  async function readAcrossCut(file: string, gzip: boolean, cut: number): Promise<{ bytes: number; error: unknown }> {
    const original = readFileSync(file);
    const { atime, mtime } = statSync(file);
    const stream = openInput(file, { gzip, readChunkBytes: 100 });
    let bytes = 0;
    let error: unknown;
    try {
      for await (const chunk of stream) {
        if (bytes === 0) truncateSync(file, cut);
        bytes += (chunk as Buffer).length;
      }
    } catch (caught) {
      error = caught;
    }
    writeFileSync(file, original);
    utimesSync(file, atime, mtime);
    return { bytes, error };
  }

  it('a plain file: the reader fails, naming the input and where it ended, instead of ending there', async () => {
    const file = path.join(dir, 'in.csv');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => `${i},review number ${i}\n`).join(''));
    const { bytes, error } = await readAcrossCut(file, false, 1000);
    expect(bytes).toBeLessThanOrEqual(1000);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^the input .*in\.csv changed while it was being read \(its reader met its end at byte 1000, where it held \d+ bytes when opened: rewritten in place\?\)/);
  });

  it('a gzip file: the same', async () => {
    const file = path.join(dir, 'in.csv.gz');
    // Incompressible: a gzip file is read 64 KiB at a time, and this one spans several reads.
    writeFileSync(file, gzipSync(Array.from({ length: 4000 }, (_, i) => `${i},${randomBytes(60).toString('base64')}\n`).join('')));
    const { error } = await readAcrossCut(file, true, 70_000);
    expect(error).toBeInstanceOf(InputError);
    // Its compressed bytes are read ahead of the decompression: the end met is where the cut found the reader.
    const [, end, size] = /changed while it was being read \(its reader met its end at byte (\d+), where it held (\d+) bytes when opened/.exec((error as Error).message) ?? [];
    expect(Number(end)).toBeLessThan(Number(size));
    expect(Number(size)).toBe(readFileSync(file).length);
  });

  it('a file that grows while it is read is read as before (the run\'s end check says it changed)', async () => {
    const file = path.join(dir, 'in.csv');
    writeFileSync(file, 'id,text\n1,good\n');
    let text = '';
    for await (const chunk of openInput(file, { gzip: false })) text += String(chunk);
    expect(text).toBe('id,text\n1,good\n');
    const resumed = openInput(file, { gzip: false, startOffset: 8 });
    let rest = '';
    for await (const chunk of resumed) rest += String(chunk);
    expect(rest).toBe('1,good\n');
  });
});
