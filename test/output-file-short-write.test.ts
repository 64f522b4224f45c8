// A write the file system takes only part of (a nearly full disk: tmpfs wrote 12,288 of 40,000 bytes and said so, no
// error) must not be counted whole (io/output-file.ts): the next write went past the file's end, its gap read as NULs.
import { readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputFile } from '../src/io/output-file.js';
import { tempDir } from './support/cli.js';

/** Makes the file's handle write at most `most` bytes per call, as write(2) does on a disk with that much room left. */
function shortWrites(out: OutputFile, most: number): void {
  const handle = (out as unknown as { handle: FileHandle }).handle;
  const write = handle.write.bind(handle) as (buffer: Buffer, offset: number, length: number, position: number) => Promise<{ bytesWritten: number; buffer: Buffer }>;
  (handle as unknown as { write: typeof write }).write = (buffer, offset, length, position) => write(buffer, offset, Math.min(length, most), position);
}

describe('the partial output on a write taken in part', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('writes the rest, so the file holds every byte counted and the CRC-32 a checkpoint records is the file\'s', async () => {
    const file = path.join(dir, 'out.csv.partial');
    const out = await OutputFile.create(file);
    shortWrites(out, 7);
    const rows = ['id,text,label\n', '1,"a review, long enough to be cut",POSITIVE\n', '2,"ünïcode",NEGATIVE\n'];
    for (const row of rows) await out.write(row);
    await out.writeBytes(Buffer.from('3,"an oversized head'));
    await out.write('",POSITIVE\n');
    const synced = await out.sync();
    await out.close();
    const expected = Buffer.from(`${rows.join('')}3,"an oversized head",POSITIVE\n`, 'utf8');
    const written = readFileSync(file);
    expect(written.includes(0)).toBe(false);
    expect(written.equals(expected)).toBe(true);
    expect(synced).toBe(expected.length);
    expect(out.crc32At(synced)).toBe(crc32(written));
  });

  it('a write that stores nothing and says no error is a device fault (EIO, exit 74), not a loop that never ends', async () => {
    const out = await OutputFile.create(path.join(dir, 'none.csv.partial'));
    shortWrites(out, 0);
    await out.write('id,text\n');
    await expect(out.sync()).rejects.toMatchObject({ code: 'EIO', path: path.join(dir, 'none.csv.partial') });
    await out.close();
  });
});
