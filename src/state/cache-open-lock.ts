import path from 'node:path';

import { newHolder, releaseIfOurs, takeOverIfAbandoned, tryCreateLock } from './cache-lock-file.js';
import { CacheError } from './cache-open.js';

/**
 * Why opening and closing a result cache take a lock of their own: LMDB's
 * environment set-up and tear-down race each other across processes. The
 * last process to close an environment destroys its shared mutexes; one
 * opening at that moment waits on the lock file and then uses them destroyed
 * (measured: "Invalid argument" at the first write, or worse). Reads and
 * writes between open and close need no lock of ours.
 *
 * The lock is a file, `open.lock` in the cache folder, created with O_EXCL and
 * holding its owner (host, pid, token). It is held for milliseconds (seconds
 * when the eviction at open has much to delete), so a waiter polls. A lock
 * whose process is gone (kill -9 during an open) is taken over at once on the
 * same host; any lock older than OPEN_LOCK_STALE_MS is taken over whoever holds it.
 */

export const OPEN_LOCK_FILE = 'open.lock';
/** No open or close takes this long: a lock this old is abandoned (another host's, or its pid reused). */
export const OPEN_LOCK_STALE_MS = 60_000;
// Polling interval bounds while another process holds the lock.
const FIRST_WAIT_MS = 2;
const LONGEST_WAIT_MS = 50;

/** A held open lock; `release` is idempotent. */
export interface OpenLock {
  release(): void;
}

/**
 * Runs `work` holding the open lock of cache folder `dir`, waiting for
 * another process's open or close to finish first. Synchronous (the cache
 * opens synchronously): the wait blocks this thread, and only ever for
 * another process's open or close.
 */
export function withOpenLock<T>(dir: string, work: () => T): T {
  const lock = takeOpenLock(dir);
  try {
    return work();
  } finally {
    lock.release();
  }
}

/** Takes the open lock of `dir` (see {@link withOpenLock}); the caller releases it. */
export function takeOpenLock(dir: string, options: { staleMs?: number } = {}): OpenLock {
  const lockPath = path.join(dir, OPEN_LOCK_FILE);
  const staleMs = options.staleMs ?? OPEN_LOCK_STALE_MS;
  const me = newHolder();
  // Bounded: a live holder is waited for until its lock is stale, then taken over.
  const deadline = Date.now() + 2 * staleMs;
  let wait = FIRST_WAIT_MS;
  for (;;) {
    if (tryCreateLock(lockPath, me, dir)) return { release: () => releaseIfOurs(lockPath, me) };
    if (takeOverIfAbandoned(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new CacheError(
        `--cache ${dir}: ${lockPath} has been held for over ${Math.round((2 * staleMs) / 1000)} s; ` +
          'if no sentiment-batch run uses this cache, delete that file',
      );
    }
    sleepSync(wait);
    wait = Math.min(LONGEST_WAIT_MS, wait * 2);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
