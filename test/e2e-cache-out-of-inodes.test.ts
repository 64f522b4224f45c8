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

  it.each([1, 2])('%i inode(s) free for a new cache: exit 74, one line that says the files ran out, nothing sent, nothing left', async (free) => {
    const { dir, cleanup } = tempDir('sb-cache-inodes-');
    const cache = path.join(dir, 'cache');
    mkdirSync(cache);
    // The root folder takes one inode.
    mountTmpfs(cache, '40m', `nr_inodes=${free + 1}`);
    done = () => {
      unmount(cache);
      cleanup();
    };
    const server = await servers.start();
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20));
    const output = path.join(dir, 'out.csv');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--cache', cache, '--log-level', 'warn'], { env: workersAiEnv(server) });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe(
      `sentiment-batch: no room for another file on the device holding the result cache folder ${cache}: its inodes are all used, though it has space left (df -i): remove files there, or choose another --cache folder, or run without --cache\n`,
    );
    expect(r.code).toBe(74);
    expect(server.stats().total).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    expect(existsSync(`${output}.lock`)).toBe(false);
  });
});
