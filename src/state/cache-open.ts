import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

import { SentimentBatchError, type ErrorCode, errorMessage } from '../errors.js';
import type { ResultCacheOptions } from './cache.js';
import { writeRefusal } from '../paths/write-refusal.js';
import { assertRoomToWrite, cacheFolderFault } from './cache-space.js';

// Checks made before LMDB is asked to open a cache directory, and their error.

/** The cache directory cannot be opened or written. */
export class CacheError extends SentimentBatchError {
  constructor(message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? 'config', message, options);
    this.name = 'CacheError';
  }
}

/** Throws a CacheError for options out of range. */
export function validateOptions(options: ResultCacheOptions): void {
  const { maxAgeDays, maxEntries } = options;
  if (maxAgeDays !== undefined && !(maxAgeDays === Infinity || (Number.isInteger(maxAgeDays) && maxAgeDays >= 0))) {
    throw new CacheError(`The cache's maximum age expects a whole number of days (0 or more), got ${String(maxAgeDays)}.`);
  }
  if (maxEntries !== undefined && !(Number.isInteger(maxEntries) && maxEntries >= 1)) {
    throw new CacheError(`The cache's maximum number of entries expects a positive integer, got ${String(maxEntries)}.`);
  }
}

/**
 * Creates `dir` if needed, then makes sure this process may write there with
 * room to spare (cache-space.ts). A wrong path is a CacheError (exit 2), a
 * folder the machine refuses a MachineFaultError (exit 74): one line each.
 */
export function prepareDirectory(dir: string, minFreeBytes: number): void {
  const kind = pathKind(dir);
  if (kind === 'file') throw new CacheError(`The result cache path ${dir} is a file; --cache needs a folder (a new one, or one an earlier run made).`);
  if (kind === 'part-is-file') throw new CacheError(`A part of the result cache path ${dir} is a file, not a folder; choose another --cache folder.`);
  if (kind === 'missing') {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      // A recursive mkdir on a read-only disk says ENOENT: ask the nearest folder that exists why.
      const refusal = writeRefusal(nearestExisting(dir)) ?? (error as NodeJS.ErrnoException);
      throw cacheFolderFault(dir, refusal) ?? new CacheError(`Cannot create the result cache folder ${dir} (${refusal.code ?? errorMessage(error)}); choose another --cache folder.`, { cause: error });
    }
  }
  assertRoomToWrite(dir, minFreeBytes);
}

function pathKind(dir: string): 'folder' | 'file' | 'missing' | 'part-is-file' {
  try {
    return statSync(dir).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'part-is-file' : 'missing';
  }
}

function nearestExisting(dir: string): string {
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

// LMDB's meta page magic, little-endian, within the first bytes of data.mdb.
const LMDB_MAGIC = Buffer.from([0xde, 0xc0, 0xef, 0xbe]);

/**
 * LMDB trusts its data file: opening one that is not an LMDB file crashes the
 * process (segmentation fault) instead of throwing. Check the header first so
 * a wrong directory or a zeroed file is reported as a CacheError.
 */
export function assertLmdbDataFile(dir: string): void {
  const file = path.join(dir, 'data.mdb');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // no data file yet: LMDB creates it
  }
  if (size === 0) return; // created but never initialised: LMDB initialises it
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.includes(LMDB_MAGIC)) {
    throw new CacheError(
      `${file} is not an LMDB file (or is damaged), so ${dir} is not a result cache this tool can use. ` +
        'Point --cache at an empty or new directory, or delete this one to start a fresh cache.',
    );
  }
}
