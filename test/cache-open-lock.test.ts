/**
 * The result cache's open lock (src/state/cache-open-lock.ts): one holder at a
 * time, a holder killed with kill -9 taken over at once, any lock older than
 * the stale time taken over, never another holder's lock removed; held by a
 * cache from a put until it commits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toScores } from '../src/scoring/scorer.js';
import { OPEN_LOCK_FILE, takeOpenLock, withOpenLock } from '../src/state/cache-open-lock.js';
import { ResultCache } from '../src/state/cache.js';
import { tempDir } from './support/cli.js';

/** A pid that was just in use and is not any more (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the result cache open lock', () => {
  const { dir, cleanup } = tempDir('sb-cache-lock-');
  afterAll(() => cleanup());
  const lockFile = path.join(dir, OPEN_LOCK_FILE);

  it('is a file naming this process while held, gone once released', () => {
    const seen = withOpenLock(dir, () => JSON.parse(readFileSync(lockFile, 'utf8')) as { host: string; pid: number });
    expect(seen).toMatchObject({ host: hostname(), pid: process.pid });
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over at once a lock whose process is gone (killed during an open)', () => {
    writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: deadPid(), token: 'dead' }));
    const started = Date.now();
    const lock = takeOpenLock(dir, { staleMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('waits for a live holder, then takes over a lock older than the stale time (another host, an unreadable file)', () => {
    for (const content of [JSON.stringify({ host: 'another-host', pid: 1, token: 'other' }), '']) {
      writeFileSync(lockFile, content);
      const started = Date.now();
      const lock = takeOpenLock(dir, { staleMs: 300 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      lock.release();
      expect(existsSync(lockFile)).toBe(false);
    }
  });

  it('takes over a stale lock at once, and a release never removes a lock another process took since', () => {
    writeFileSync(lockFile, JSON.stringify({ host: 'another-host', pid: 1, token: 'other' }));
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockFile, old, old);
    const started = Date.now();
    const lock = takeOpenLock(dir);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Taken over from this holder after a long stall: its release leaves the new holder's lock alone.
    writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: process.pid, token: 'newer' }));
    lock.release();
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ token: 'newer' });
  });

  it('is held by the cache only while it opens, closes, or has puts not yet committed', async () => {
    const cacheDir = path.join(dir, 'cache');
    const lockPath = path.join(cacheDir, OPEN_LOCK_FILE);
    const cache = ResultCache.open(cacheDir);
    expect(existsSync(lockPath)).toBe(false);
    // From the first put of a batch until it commits: an open in another process waits for it, so it
    // cannot set lock.mdb's last transaction id back across this commit (cache-open-lock.ts).
    cache.put('m', 'a', toScores(0.9, 0.1));
    cache.put('m', 'b', toScores(0.2, 0.8));
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ host: hostname(), pid: process.pid });
    await cache.flush();
    expect(existsSync(lockPath)).toBe(false);
    expect(cache.get('m', 'b')).toEqual(toScores(0.2, 0.8));
    await cache.close();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('makes a put wait while another process holds it, then commit', async () => {
    const cacheDir = path.join(dir, 'cache-wait');
    const lockPath = path.join(cacheDir, OPEN_LOCK_FILE);
    const cache = ResultCache.open(cacheDir);
    // A live holder (the parent of this test process) whose lock is released 300 ms from now, by a child.
    writeFileSync(lockPath, JSON.stringify({ host: hostname(), pid: process.ppid, token: 'opening' }));
    const remover = spawn(process.execPath, ['-e', `setTimeout(() => require('node:fs').unlinkSync(${JSON.stringify(lockPath)}), 300)`]);
    const exited = new Promise((resolve) => remover.on('exit', resolve));
    cache.put('m', 'waited', toScores(0.7, 0.3)); // blocks until the holder is gone
    // The holder's lock was not taken over (it is alive and fresh): the put waited for its release.
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await cache.flush();
    await exited;
    await cache.close();
    const reopened = ResultCache.open(cacheDir);
    expect(reopened.get('m', 'waited')).toEqual(toScores(0.7, 0.3));
    await reopened.close();
  });
});
