import { utimesSync } from 'node:fs';
import path from 'node:path';

import { holdsLock, newHolder, readHolder, releaseIfOurs, takeOverIfAbandoned, tryCreateLock, type LockHolder } from './cache-lock-file.js';

/**
 * Why one process at a time writes a result cache: processes committing to
 * one LMDB folder at once through lmdb 3.5.6 went wrong now and then, with
 * lmdb's `overlappingSync` off and opens and closes serialized (a commit
 * lost without any error, `MDB_BAD_TXN` at open, SIGSEGV; docs/cost.md,
 * "Sharing"). One writing process with any number of readers did not.
 *
 * The lock is `writer.lock` in the cache folder, taken (never waited for)
 * while the open lock is held, for as long as the cache stays open. The holder
 * rewrites the file's time at least every WRITER_LOCK_REFRESH_MS while it
 * writes, and on a timer while it idles. Another process takes it over when its
 * holder is a process of this host that no longer runs (killed with -9), or
 * when it has not been refreshed for WRITER_LOCK_STALE_MS (its pid reused by an
 * unrelated process, a hung holder, another host). A holder whose lock was taken
 * over, or left unrefreshed for half the stale time (its thread blocked), finds
 * out before its next write and stops writing: a write always follows a
 * refresh that no other process could have judged stale yet.
 */

export const WRITER_LOCK_FILE = 'writer.lock';
/** How often the holder proves it is still there (and checks the lock is still its own). */
export const WRITER_LOCK_REFRESH_MS = 10_000;
/** A lock not refreshed for this long is abandoned: six refreshes missed. */
export const WRITER_LOCK_STALE_MS = 60_000;
// A takeover retried this often at most: another process may take the freed lock first.
const TAKE_ATTEMPTS = 3;

/** A held writer lock. */
export interface WriterLock {
  /**
   * True while the lock is still this process's; refreshes its time. Cheap
   * enough for every write: it reads the file only once per refresh interval.
   */
  confirm(now?: number): boolean;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): void;
}

/** The writer lock of `dir`, or the process holding it (undefined when its file cannot be read). */
export type WriterLockAttempt = { held: WriterLock } | { heldBy: LockHolder | undefined };

/** Takes the writer lock of cache folder `dir` unless a live process holds it. Never waits. */
export function tryTakeWriterLock(dir: string, options: { staleMs?: number; refreshMs?: number } = {}): WriterLockAttempt {
  const lockPath = path.join(dir, WRITER_LOCK_FILE);
  const staleMs = options.staleMs ?? WRITER_LOCK_STALE_MS;
  const me = newHolder();
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
    if (tryCreateLock(lockPath, me, dir)) return { held: heldLock(lockPath, me, options.refreshMs ?? WRITER_LOCK_REFRESH_MS, staleMs) };
    if (!takeOverIfAbandoned(lockPath, staleMs)) break;
  }
  const holder = readHolder(lockPath);
  return { heldBy: holder === 'absent' ? undefined : holder };
}

function heldLock(lockPath: string, me: LockHolder, refreshMs: number, staleMs: number): WriterLock {
  let confirmedAt = Date.now();
  let lost = false;
  return {
    confirm(now = Date.now()): boolean {
      if (lost) return false;
      if (now - confirmedAt < refreshMs) return true;
      // Unrefreshed for half the stale time (this thread blocked that long): another process may take
      // the lock over at any moment from now, even after the check below, so this one stops writing.
      if (now - confirmedAt >= staleMs / 2 || !holdsLock(lockPath, me)) {
        lost = true;
        return false;
      }
      try {
        utimesSync(lockPath, new Date(now), new Date(now));
      } catch {
        // gone since the read: it is checked again at the next refresh
      }
      confirmedAt = now;
      return true;
    },
    release(): void {
      if (lost) return;
      lost = true;
      releaseIfOurs(lockPath, me);
    },
  };
}
