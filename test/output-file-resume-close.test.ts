// OutputFile.resume opened the partial output, then stat, truncate and fsync: one that threw left the handle open (a
// file descriptor held until garbage collection, which Node closes with a warning on standard error).
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutputFile } from '../src/io/output-file.js';
import { tempDir } from './support/cli.js';
import { descriptorsOn } from './support/descriptors.js';

describe.skipIf(process.platform !== 'linux')('OutputFile.resume', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  afterEach(() => vi.restoreAllMocks());

  it('closes the file when cutting it back or its fsync fails, and passes the error on', async () => {
    const file = path.join(dir, 'out.csv.partial');
    writeFileSync(file, 'a,b\n1,2\n3,4\n');
    const probe = await open(file, 'r');
    const FileHandle = Object.getPrototypeOf(probe) as { truncate: () => Promise<void>; sync: () => Promise<void> };
    await probe.close();
    for (const step of ['truncate', 'sync'] as const) {
      const fault = Object.assign(new Error(`EIO: i/o error, ${step}`), { code: 'EIO' });
      const failing = vi.spyOn(FileHandle, step).mockRejectedValueOnce(fault);
      await expect(OutputFile.resume(file, 8)).rejects.toBe(fault);
      expect({ step, openOnIt: descriptorsOn(file) }).toEqual({ step, openOnIt: 0 });
      failing.mockRestore();
    }
  });
});
