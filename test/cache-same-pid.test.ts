/**
 * A result cache another process has open under this process's id: what two
 * containers sharing one --cache folder are (each one's first process is PID 1
 * in its own PID namespace). LMDB marks each reading process with a lock
 * (fcntl) on the byte of lock.mdb at the offset of its pid; here a Python
 * process takes that byte for this test's pid, which is what the other
 * container's process does. Before, the open failed after lmdb's 10 s of
 * retries with "Cannot read properties of null (reading 'address')" (exit 2,
 * blaming the disk).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { openResultCache } from '../src/state/cache-loader.js';
import { CacheInUseError, ResultCache } from '../src/state/cache.js';

const MODEL = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const SCORES = { label: 'POSITIVE' as const, positive: 0.9, negative: 0.1 };
const hasPython = spawnSync('python3', ['-c', 'import fcntl'], { stdio: 'ignore' }).status === 0;

// Holds a write lock on one byte of a file until its standard input closes.
const HOLD_BYTE = `
import fcntl, sys
f = open(sys.argv[1], 'r+b')
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, int(sys.argv[2]), 0)
print('held', flush=True)
sys.stdin.read()
`;

const work = mkdtempSync(path.join(os.tmpdir(), 'sb-cache-same-pid-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let holder: ChildProcess | undefined;
afterEach(() => {
  holder?.kill();
  holder = undefined;
});

/** Another process holding LMDB's liveness byte of this process's pid in `dir`'s lock.mdb. */
async function holdMyPidByte(dir: string): Promise<void> {
  const child = spawn('python3', ['-c', HOLD_BYTE, path.join(dir, 'lock.mdb'), String(process.pid)], { stdio: ['pipe', 'pipe', 'inherit'] });
  holder = child;
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const first = await lines.next();
  expect(first.value).toBe('held');
}

describe.skipIf(!hasPython)('a result cache open in another PID namespace under this process id', () => {
  it('is refused with one line that says why and what to do (exit 75), and a run goes on without it', async () => {
    const dir = path.join(work, 'shared');
    const first = ResultCache.open(dir);
    first.put(MODEL, 'kept', SCORES);
    await first.close();

    await holdMyPidByte(dir);
    let thrown: unknown;
    try {
      ResultCache.open(dir);
    } catch (error) {
      thrown = error;
    }
    const error = thrown as CacheInUseError;
    expect(error.message).toContain('another container');
    expect(thrown).toBeInstanceOf(CacheInUseError);
    expect(error.code).toBe('locked');
    expect(error.message).toContain(`this process's id (${process.pid})`);
    expect(error.message).toContain('--pid host');
    expect(error.message).not.toMatch(/Cannot read properties|address|network share/);
    expect(error.message).not.toContain('\n');

    // A run (it passes onWritesStopped) is told once and goes on without the cache.
    const warnings: string[] = [];
    const cache = await openResultCache(dir, { onWritesStopped: (message) => warnings.push(message) });
    expect(cache).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('--pid host');
    expect(warnings[0]).toContain('goes on without the result cache');

    // The other process gone, the cache opens with what it held.
    holder?.kill();
    await new Promise((resolve) => holder?.once('exit', resolve));
    const again = ResultCache.open(dir);
    expect(again.get(MODEL, 'kept')).toEqual(SCORES);
    await again.close();
  }, 60_000);
});
