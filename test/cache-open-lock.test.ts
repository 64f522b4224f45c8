/**
 * The result cache's open lock (src/state/cache-open-lock.ts): one holder at a
 * time, a holder killed with kill -9 taken over at once (in this PID namespace
 * only), any lock older than the stale time taken over, never another holder's
 * lock removed, never a lock left that does not name its holder; held by a
 * cache from a put until it commits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { toScores } from '../src/scoring/scorer.js';
import { OPEN_LOCK_FILE, takeOpenLock, withOpenLock } from '../src/state/cache-open-lock.js';
import { ResultCache } from '../src/state/cache.js';
import { nextLine, startChild } from './support/child.js';
import { tempDir } from './support/cli.js';
import { transpileModuleGraph } from './support/transpile.js';

/** What the lock says of its holder: a symbolic link's text, or (older versions, tests) a file's. */
function lockText(file: string): string {
  return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : readFileSync(file, 'utf8');
}

const ownNamespace = readlinkSync('/proc/self/ns/pid');

/** Whether anything (a dangling symbolic link too) is at `file`. */
function lstatIfAny(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `take` and counts the pauses of the open lock's waiting loop meanwhile: a synchronous wait sleeps with
 * Atomics.wait (cache-open-lock.ts, sleepSync), whatever the machine's speed, so 0 means taken without waiting.
 */
function sleepsDuring<T>(take: () => T): { value: T; sleeps: number } {
  const spy = vi.spyOn(Atomics, 'wait');
  try {
    const value = take();
    return { value, sleeps: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

/** A pid that was just in use and is not any more (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the result cache open lock', () => {
  const { dir, cleanup } = tempDir('sb-cache-lock-');
  afterAll(() => cleanup());
  const lockFile = path.join(dir, OPEN_LOCK_FILE);

  it('names this process (host, pid, PID namespace) while held, gone once released', () => {
    const seen = withOpenLock(dir, () => JSON.parse(lockText(lockFile)) as { host: string; pid: number; pidNs: string });
    expect(seen).toMatchObject({ host: hostname(), pid: process.pid, pidNs: ownNamespace });
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over at once a lock whose process is gone (killed during an open)', () => {
    writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: deadPid(), pidNs: ownNamespace, token: 'dead' }));
    // Dated an hour ahead, it never turns stale here: taken, it was taken because its process is gone (a lock only
    // waited for until stale is refused at the wait's end, 20 s here: "has been held for over 20 s").
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(lockFile, ahead, ahead);
    const lock = sleepsDuring(() => takeOpenLock(dir, { staleMs: 10_000 }));
    // At once: not one pause of the waiting loop before it was taken.
    expect(lock.sleeps).toBe(0);
    expect(JSON.parse(lockText(lockFile))).toMatchObject({ pid: process.pid });
    lock.value.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("does not ask about a pid of another PID namespace (a container with --network host), nor an older version's lock: it waits until the lock is stale", () => {
    // Dated ahead, these locks never turn stale here: one not taken over at once is refused at the wait's end.
    const ahead = new Date(Date.now() + 3_600_000);
    for (const pidNs of ['pid:[1]', undefined]) {
      // Its pid does not exist here: asked, it would look gone (a host process's live lock, seen from a container).
      writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: deadPid(), ...(pidNs ? { pidNs } : {}), token: 'elsewhere' }));
      utimesSync(lockFile, ahead, ahead);
      expect(() => takeOpenLock(dir, { staleMs: 300 })).toThrow(/has been held for over/);
      expect(JSON.parse(lockText(lockFile))).toMatchObject({ token: 'elsewhere' });
    }
    // The same lock in this namespace: its process is gone, taken over at once.
    writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: deadPid(), pidNs: ownNamespace, token: 'here' }));
    utimesSync(lockFile, ahead, ahead);
    takeOpenLock(dir, { staleMs: 300 }).release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('is never left without its holder by a process killed with -9 while taking or releasing it', async () => {
    // Before, the lock was created empty and then written: a process killed between the two left a lock
    // that names no one, which every later open waited a minute for (test/cache-process.test.ts hung).
    const work = path.join(dir, 'killed');
    transpileModuleGraph('src/state/cache-open-lock.ts', work);
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
    const script = path.join(work, 'loop.mjs');
    writeFileSync(script, `import { takeOpenLock } from './src/state/cache-open-lock.js';\nconsole.log('looping');\nfor (;;) takeOpenLock(process.argv[2]).release();\n`);
    const lockDir = path.join(dir, 'killed-lock');
    mkdirSync(lockDir);
    for (let round = 0; round < 40; round++) {
      const { child, lines } = startChild(script, [lockDir]);
      expect(await nextLine(lines, 'looping')).toBe('looping');
      await new Promise((resolve) => setTimeout(resolve, round % 7));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const left = path.join(lockDir, OPEN_LOCK_FILE);
      // Absent, or naming the killed process (which the next taker then sees is gone).
      if (lstatIfAny(left)) expect(JSON.parse(lockText(left))).toMatchObject({ pid: child.pid, pidNs: ownNamespace });
      takeOpenLock(lockDir, { staleMs: 60_000 }).release();
    }
    // A bound against a hang only: 40 Node starts took past 60 s in CI at load ~12. A lock left naming no one fails the
    // JSON.parse above, not this bound.
  }, 300_000);

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
    const taken = sleepsDuring(() => takeOpenLock(dir));
    // At once: a lock already older than the stale time (a minute) is taken on sight, without one pause of the waiting
    // loop (a taker that paused before judging a lock's age, or judged it by its silence while watched, counts its pauses).
    expect(taken.sleeps).toBe(0);
    const lock = taken.value;
    // Taken over from this holder after a long stall: its release leaves the new holder's lock alone.
    rmSync(lockFile); // the lock is a symbolic link: a write would follow it
    writeFileSync(lockFile, JSON.stringify({ host: hostname(), pid: process.pid, token: 'newer' }));
    lock.release();
    expect(JSON.parse(lockText(lockFile))).toMatchObject({ token: 'newer' });
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
    expect(JSON.parse(lockText(lockPath))).toMatchObject({ host: hostname(), pid: process.pid });
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
    expect(JSON.parse(lockText(lockPath))).toMatchObject({ pid: process.pid });
    await cache.flush();
    await exited;
    await cache.close();
    const reopened = ResultCache.open(cacheDir);
    expect(reopened.get('m', 'waited')).toEqual(toScores(0.7, 0.3));
    await reopened.close();
  });
});
