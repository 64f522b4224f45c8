import type { RootDatabase } from 'lmdb';

import { errorMessage } from '../errors.js';
import { badTransactionError, damagedCacheError, isBadTransaction, isDamage } from './cache-damage.js';
import { CacheError } from './cache-open.js';
import { cacheFolderWords } from './cache-space.js';
import { flagWords, type SettingWords } from '../config/setting-names.js';

/**
 * Whether this process may read a result cache: LMDB's reader slot, and what
 * its refusal means.
 *
 * LMDB marks each process that reads a store with a lock (fcntl) on the byte
 * of lock.mdb at the offset of its process id, and tells live readers from
 * dead ones by it. Processes of one PID namespace never share an id, but each
 * container has its own namespace, and each one's job gets one of its first
 * few ids, mostly the same (1 for node as PID 1; 6-8 under the image's tini):
 * two containers on one cache folder at once whose jobs have the same id want
 * the same byte, and the second one cannot read ("Resource temporarily unavailable"; lmdb retries for about
 * 10 s, then fails with a TypeError of its own, "Cannot read properties of
 * null (reading 'address')"). A host process and a container, or containers
 * started with --pid host, have distinct ids and share a cache.
 *
 * No option of lmdb 3.5.6 avoids it: read-only environments take the same
 * byte, and LMDB without its lock file (MDB_NOLOCK, which lmdb's open() does
 * not offer) would let other processes' commits reuse pages this one is still
 * reading. So such a process does not use the cache (cache-loader.ts).
 */

/**
 * Another process with this process's id has the cache open: a process in
 * another PID namespace (another container), since one namespace never has two
 * processes with one id. Exit 75 (try later) where it is thrown; a run and an
 * estimate go on without the cache instead (cache-loader.ts).
 */
export class CacheInUseError extends CacheError {
  constructor(dir: string, cause?: unknown, named: SettingWords = flagWords('--cache', dir)) {
    super(
      `${named.head}: a process in another container (another PID namespace) has this cache open under this process's id (${process.pid}), ` +
        'and LMDB tells the processes sharing a cache apart by their ids. ' +
        `To share one cache between containers at once, start them with --pid host (Kubernetes: hostPID: true), or give each container ${cacheFolderWords(named, 'its own')}`,
      { cause, code: 'locked' },
    );
    this.name = 'CacheInUseError';
  }
}

const PROBE_KEY = Buffer.from('sentiment-batch: can this process read?');

/**
 * Reads once, so that a refused reader slot shows at open, as a
 * CacheInUseError, and not at the first look-up of a run. It is this process's
 * first read of the store: the one that takes the slot.
 */
export function assertCanRead(root: RootDatabase, dir: string, named?: SettingWords): void {
  try {
    root.getBinary(PROBE_KEY);
  } catch (error) {
    throw isSlotRefused(error) ? new CacheInUseError(dir, error, named) : openFailure(dir, error, named);
  }
}

/** The one line an operator gets when LMDB fails at open: LMDB's own words, never a JavaScript error's. */
export function openFailure(dir: string, error: unknown, named: SettingWords = flagWords('--cache', dir)): CacheError {
  if (error instanceof CacheError) return error;
  if (isDamage(error)) return damagedCacheError(dir, error, named);
  if (isBadTransaction(error)) return badTransactionError(dir, error, named);
  if (error instanceof Error && isJavaScriptError(error)) {
    return new CacheError(
      `Cannot open the result cache in ${dir}: the LMDB library failed unexpectedly. ` +
        `Run without ${named.setting}, or point ${named.setting} at a new folder; if it happens again, report it.`,
      { cause: error, code: 'internal' },
    );
  }
  return new CacheError(
    `Cannot open the result cache in ${dir}: ${errorMessage(error)}. ` +
      'Use a writable directory on a local disk (not a network share) that holds only this cache.',
    { cause: error },
  );
}

/** lmdb's two ways of saying the reader slot was refused: EAGAIN itself, or the TypeError that follows its retries. */
function isSlotRefused(error: unknown): boolean {
  const message = errorMessage(error);
  return /temporarily unavailable|EAGAIN/i.test(message) || (error instanceof TypeError && /of null \(reading 'address'\)/.test(message));
}

/** Errors of the JavaScript engine: a bug in a library, not a refusal LMDB or the system explains. */
function isJavaScriptError(error: Error): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}
