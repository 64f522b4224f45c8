// The partial output's CRC-32, carried by the writer across checkpoints (io/output-file.ts) and recorded in each paused
// one (`partialCrc32`), which a resume compares with the file (prove-checkpoint.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputFile } from '../src/io/output-file.js';
import { fileCrc32 } from '../src/state/output-crc.js';
import { tempDir } from './support/cli.js';

describe('the partial output\'s CRC-32', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('is of the durable bytes only, written by texts and bytes alike, and carried across a resume', async () => {
    const file = path.join(dir, 'out.csv.partial');
    const out = await OutputFile.create(file);
    expect(out.crc32At(0)).toBe(0);
    await out.write('id,text,label\n');
    await out.writeBytes(Buffer.from('1,"héad",'));
    await out.write('POSITIVE\n');
    // Buffered, not yet synced: no CRC for a length no checkpoint may record.
    expect(out.crc32At(out.bytes)).toBeUndefined();
    const synced = await out.sync();
    expect(out.crc32At(synced)).toBe(crc32(readFileSync(file)));
    expect(out.crc32At(synced - 1)).toBeUndefined();
    await out.close();
    // Written after that checkpoint (cut by the resume).
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('2,"half a row')]));
    const recorded = crc32(readFileSync(file).subarray(0, synced));
    for (const given of [recorded, undefined]) {
      const resumed = (await OutputFile.resume(file, synced, given)) as OutputFile;
      expect(resumed.crc32At(synced)).toBe(recorded);
      await resumed.write('2,"two",NEGATIVE\n');
      const end = await resumed.sync();
      expect(resumed.crc32At(end)).toBe(crc32(readFileSync(file)));
      await resumed.close();
      writeFileSync(file, readFileSync(file).subarray(0, synced));
    }
  });

  it('is read over the first bytes asked for, across read chunks', async () => {
    const file = path.join(dir, 'big');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(file, bytes);
    expect(await fileCrc32(file, bytes.length)).toBe(crc32(bytes));
    expect(await fileCrc32(file, 1000)).toBe(crc32(bytes.subarray(0, 1000)));
    expect(await fileCrc32(file, 0)).toBe(0);
  });
});
