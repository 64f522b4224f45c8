import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

import { MachineFaultError, SentimentBatchError, type ErrorCode, errorMessage } from '../errors.js';
import type { ResultCacheOptions } from './cache-options.js';
import { makeFolders } from '../paths/create-folder.js';
import { folderBlocker, refuseBlockedFolder } from '../paths/folder-blocker.js';
import { flagWords, type SettingWords } from '../config/setting-names.js';
import { assertRoomToWrite, cacheFolderFault, cacheFolderWords } from './cache-space.js';
import { kindOf } from '../wording/file-kind.js';
import { readRefusal } from '../wording/not-readable.js';

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
 * room to spare (cache-space.ts). A wrong path (a file, or a symbolic link to
 * nothing, where the folder or one above it should be) is exit 2, as for every
 * path flag (paths/folder-blocker.ts); a folder the machine refuses a
 * MachineFaultError (exit 74): one line each.
 */
export function prepareDirectory(dir: string, minFreeBytes: number, named: SettingWords = flagWords('--cache', dir)): void {
  const blocker = folderBlocker(dir);
  if (blocker?.at === path.resolve(dir) && blocker.target === undefined) {
    throw new CacheError(`${named.head}: ${blocker.at} is ${blocker.what ?? 'a file'}; ${named.setting} needs a folder (a new one, or one an earlier run made)`);
  }
  refuseBlockedFolder(dir, named);
  try {
    makeFolders(dir);
  } catch (error) {
    if (error instanceof SentimentBatchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw cacheFolderFault(dir, error as NodeJS.ErrnoException, named) ?? new CacheError(`${named.head}: cannot create the folder (${code}); choose another ${named.setting}`, { cause: error });
  }
  assertRoomToWrite(dir, minFreeBytes, named);
}

// LMDB's meta page magic, little-endian, within the first bytes of data.mdb.
const LMDB_MAGIC = Buffer.from([0xde, 0xc0, 0xef, 0xbe]);
/** Offsets in a meta page from its magic (MDB_meta: magic, version, address, map size, two MDB_db of 48 bytes, last page, txn id). */
const PAGE_SIZE_AT = 24; // mm_dbs[FREE_DBI].md_pad holds the page size
const LAST_PAGE_AT = 120;
const TXN_ID_AT = 128;

/**
 * LMDB trusts its data file: opening one that is not an LMDB file crashes the
 * process (segmentation fault) instead of throwing, and so does reading a page
 * past the end of one cut short (SIGBUS: a copy or a restore of the cache that
 * stopped). Check the header, and the file's length against the last page its
 * newest meta page records, first, so either is reported as a CacheError.
 */
export function assertLmdbDataFile(dir: string, named: SettingWords = flagWords('--cache', dir)): void {
  assertRegularFiles(dir, named);
  const file = path.join(dir, 'data.mdb');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // no data file yet: LMDB creates it
  }
  if (size === 0) return; // created but never initialised: LMDB initialises it
  const fd = openSync(file, 'r');
  let pagesEnd: number | undefined;
  try {
    const head = readAt(fd, 0, 64);
    if (!head.includes(LMDB_MAGIC)) {
      throw new CacheError(
        `${file} is not an LMDB file (or is damaged), so ${dir} is not a result cache this tool can use. ` +
          `Point ${named.setting} at an empty or new directory, or delete this one to start a fresh cache.`,
      );
    }
    const magicAt = head.indexOf(LMDB_MAGIC);
    pagesEnd = lastPageEnd(fd, magicAt);
    // The length after the meta pages: another process's commit writes its pages before its meta page, never after.
    size = fstatSync(fd).size;
    // Cut inside its first meta page (a restore that stopped after a few bytes): no page size or last page to go by,
    // and LMDB, given it, crashes the process (segmentation fault) instead of throwing.
    if (pagesEnd === undefined && size < magicAt + TXN_ID_AT + 8) {
      throw new CacheError(
        `${file} is cut short (${size} bytes, inside its header): it is damaged (a copy or a restore that stopped?), ` +
          `so ${dir} is not a result cache this tool can use. Point ${named.setting} at an empty or new directory, or delete this one to start a fresh cache.`,
      );
    }
  } finally {
    closeSync(fd);
  }
  if (pagesEnd !== undefined && size < pagesEnd) {
    throw new CacheError(
      `${file} is cut short (${size} bytes, where its last page ends at byte ${pagesEnd}): it is damaged (a copy or a restore that stopped?), ` +
        `so ${dir} is not a result cache this tool can use. Point ${named.setting} at an empty or new directory, or delete this one to start a fresh cache.`,
    );
  }
}

/**
 * LMDB opens its two files, data.mdb and lock.mdb, as they are: a folder at
 * lock.mdb's path (a copy or a restore gone wrong, made by hand) killed every run
 * with a segmentation fault (exit 139, no message), and one at data.mdb's was
 * 'a file (read) is a folder', naming no file. Anything but a file there (a
 * folder, a named pipe, a device) is one line naming it, as a damaged cache is.
 */
function assertRegularFiles(dir: string, named: SettingWords): void {
  for (const name of ['data.mdb', 'lock.mdb']) {
    const file = path.join(dir, name);
    let stats;
    try {
      stats = statSync(file);
    } catch {
      continue; // missing (LMDB creates it), or a symbolic link to nothing: LMDB's open then says so
    }
    if (stats.isFile()) {
      refuseInaccessible(file, named);
      continue;
    }
    throw new CacheError(
      `${file} is ${kindOf(stats)}, not a file, so ${dir} is not a result cache this tool can use. ` +
        `Move ${name} away, point ${named.setting} at an empty or new directory, or delete this one to start a fresh cache.`,
    );
  }
}

/**
 * LMDB opens both files for reading and writing. As a user who may not (a cache of root's, 0600, mounted into a
 * container running as another uid), lock.mdb unreadable killed the run with a segmentation fault (exit 139, no
 * message, the cache's open lock left behind), and data.mdb was 'permission denied (open …): … write elsewhere (-o)'.
 * Either is one line naming the file and the access to give (exit 74).
 */
function refuseInaccessible(file: string, named: SettingWords): void {
  const why = readRefusal(file, true);
  if (why === undefined) return;
  throw new MachineFaultError('EACCES', `the result cache file ${file}: ${why}; or ${cacheFolderWords(named, 'choose another')}, or run without ${named.setting}`);
}

/** Where the pages of the newest meta page (the one LMDB opens) end; undefined when the header gives no page size to go by. */
function lastPageEnd(fd: number, magicAt: number): number | undefined {
  const first = readAt(fd, 0, magicAt + TXN_ID_AT + 8);
  if (first.length < magicAt + TXN_ID_AT + 8) return undefined;
  const pageSize = first.readUInt32LE(magicAt + PAGE_SIZE_AT);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  const second = readAt(fd, pageSize, magicAt + TXN_ID_AT + 8);
  const metas = [first, second].filter((meta) => meta.length === magicAt + TXN_ID_AT + 8 && meta.subarray(magicAt, magicAt + 4).equals(LMDB_MAGIC));
  const newest = metas.reduce((a, b) => (b.readBigUInt64LE(magicAt + TXN_ID_AT) > a.readBigUInt64LE(magicAt + TXN_ID_AT) ? b : a));
  return Number((newest.readBigUInt64LE(magicAt + LAST_PAGE_AT) + 1n) * BigInt(pageSize));
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
}
