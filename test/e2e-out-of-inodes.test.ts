import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';

// A filesystem whose inodes are all used, its space not (many small files: a mail spool, a cache of thumbnails), says
// ENOSPC as a full one does: "no space left on the device" sent the operator to `df -h`, which showed room (a 10 MiB
// tmpfs with nr_inodes=8, 8 KiB used, measured 2026-12-05).
describe.skipIf(!canMount())('an output folder on a filesystem with no free inode (root)', () => {
  let dir: string;
  let cleanup: () => void;
  let at: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    at = path.join(dir, 'inodes');
    mkdirSync(at);
    mountTmpfs(at, '10m', 'nr_inodes=8');
  });
  afterAll(() => {
    unmount(at);
    cleanup();
  });

  it('exit 74, one line that says the files, not the space, ran out', async () => {
    // Every inode but the root's taken, whatever the kernel counts first.
    for (let i = 0; ; i++) {
      try {
        writeFileSync(path.join(at, `f${i}`), '');
      } catch {
        break;
      }
    }
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(50));
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(at, 'out.csv'), '--log-level', 'warn']);
    expect(r.code).toBe(74);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^sentiment-batch: no room for another file on the device holding .*inodes.*out\.csv.*: its inodes are all used, though it has space left \(df -i\): remove files there or write elsewhere \(-o\), then run the same command again/);
  });
});
