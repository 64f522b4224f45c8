import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { canMount, mountTmpfs, unmount } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// A --cache folder on a filesystem with space but (almost) no inode left (`df -i`; a tmpfs mounted with nr_inodes).
// Found 2026-12-07 (operator31): with room for one new file LMDB failed creating lock.mdb, "Cannot open the result
// cache in cc: No space left on device: Attempting to setup locks. Use a writable directory on a local disk (not a
// network share)", exit 2; with room for two it made data.mdb and then crashed the process (SIGSEGV, exit 139, no
// line, the output's lock left behind). Now refused before LMDB opens, exit 74, one line, nothing sent.
describe.skipIf(!canMount())('a --cache folder on a filesystem out of inodes (root)', () => {
  const servers = useTestServer();
  let done = (): void => undefined;
  afterEach(() => done());

  /** 20 rows scored against serve with --cache on a tmpfs of its own mounted with `inodes` (nr_inodes=…). */
  const scoreWithCacheOn = async (inodes: string) => {
    const { dir, cleanup } = tempDir('sb-cache-inodes-');
    const cache = path.join(dir, 'cache');
    mkdirSync(cache);
    mountTmpfs(cache, '40m', inodes);
    done = () => {
      unmount(cache);
      cleanup();
    };
    const server = await servers.start();
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20));
    const output = path.join(dir, 'out.csv');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--cache', cache, '--log-level', 'warn'], { env: workersAiEnv(server) });
    return { r, server, cache, output };
  };

  it.each([1, 2])('%i inode(s) free for a new cache: exit 74, one line that says the files ran out, nothing sent, nothing left', async (free) => {
    // The root folder takes one inode.
    const { r, server, cache, output } = await scoreWithCacheOn(`nr_inodes=${free + 1}`);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe(
      `sentiment-batch: no room for another file on the device holding the result cache folder ${cache}: its inodes are all used, though it has space left (df -i): remove files there, or choose another --cache folder, or run without --cache\n`,
    );
    expect(r.code).toBe(74);
    expect(server.stats().total).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    expect(existsSync(`${output}.lock`)).toBe(false);
  });

  // The check judges only what it can count: a filesystem that reports no inode count (btrfs; a tmpfs with nr_inodes=0
  // says 0 of 0) is not refused, and one with exactly the files a new cache makes (data.mdb, lock.mdb, open.lock) is room.
  it.each([
    ['a filesystem that counts no inodes (tmpfs nr_inodes=0: 0 of 0, as btrfs says)', 'nr_inodes=0'],
    ['3 inodes free, the files a new cache makes', 'nr_inodes=4'],
  ])('%s: not refused, the run scores through the cache', async (_name, inodes) => {
    const { r, server, cache } = await scoreWithCacheOn(inodes);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.stats().total).toBeGreaterThan(0);
    expect(readdirSync(cache)).toContain('data.mdb');
  });
});
