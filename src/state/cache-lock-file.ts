import { randomBytes } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

import { errorMessage } from '../errors.js';
import { isDeadLocalHolder } from '../process/dead-holder.js';
import { CacheError } from './cache-open.js';
import { cacheFolderFault } from './cache-space.js';

/**
 * The lock files of a result cache folder (`open.lock`, `writer.lock`): a file
 * created with O_EXCL that names its holder (host, pid, and a token that tells
 * two holders with one pid apart). Shared by cache-open-lock.ts and
 * cache-writer-lock.ts, which decide how long a lock is held and when it is
 * abandoned.
 */

export interface LockHolder {
  host: string;
  pid: number;
  token: string;
}

/** A new holder naming this process. */
export function newHolder(): LockHolder {
  return { host: hostname(), pid: process.pid, token: randomBytes(8).toString('hex') };
}

/** Creates the lock file holding `me`; false when it already exists. */
export function tryCreateLock(lockPath: string, me: LockHolder, dir: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw cacheFolderFault(dir, error as NodeJS.ErrnoException) ??
      new CacheError(`--cache ${dir}: cannot create the lock ${lockPath} (${code ?? errorMessage(error)}); choose another --cache`, { cause: error });
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock whose holder is gone (this host, pid not running) or that
 * is older than `staleMs`; true when the caller should try again at once. The
 * file is first renamed aside and read again, so a lock another process took
 * in between is put back, not removed.
 */
export function takeOverIfAbandoned(lockPath: string, staleMs: number): boolean {
  const seen = readHolder(lockPath);
  if (seen === 'absent') return true; // released meanwhile
  let age: number;
  try {
    age = Date.now() - lstatSync(lockPath).mtimeMs;
  } catch {
    return true;
  }
  // A lock still being written (empty for a moment) or unreadable is judged by its age alone.
  const gone = seen !== undefined && isDeadLocalHolder(seen);
  if (!gone && age < staleMs) return false;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return true; // someone else moved or released it first
  }
  const moved = readHolder(aside);
  const same = seen === undefined ? moved === undefined : moved !== undefined && moved !== 'absent' && moved.token === seen.token;
  if (!same) {
    try {
      linkSync(aside, lockPath); // put a live holder's lock back (fails if yet another process took the path)
    } catch {
      // the path is taken again: that holder goes on
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
  return true;
}

/** True while the lock file at `lockPath` is `me`'s. */
export function holdsLock(lockPath: string, me: LockHolder): boolean {
  const holder = readHolder(lockPath);
  return holder !== undefined && holder !== 'absent' && holder.token === me.token;
}

/** Removes the lock if it is still `me`'s (it may have been taken over after a long stall). */
export function releaseIfOurs(lockPath: string, me: LockHolder): void {
  if (!holdsLock(lockPath, me)) return;
  try {
    unlinkSync(lockPath);
  } catch {
    // removed meanwhile
  }
}

/** The lock's holder; 'absent' when there is no lock, undefined when it cannot be read (being written, damaged). */
export function readHolder(lockPath: string): LockHolder | 'absent' | undefined {
  let text: string;
  try {
    const fd = openSync(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : undefined;
  }
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (typeof data.host !== 'string' || !Number.isInteger(data.pid) || typeof data.token !== 'string') return undefined;
    return { host: data.host, pid: data.pid as number, token: data.token };
  } catch {
    return undefined;
  }
}
