import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { SettingWords } from '../config/setting-names.js';
import { damagedCacheError } from './cache-damage.js';
import { OPEN_LOCK_STALE_MS, takeOpenLock } from './cache-open-lock.js';

/**
 * Some damage inside a cache's data file is met by LMDB's own checks, not reported as an error: a zeroed or
 * overwritten page reached by the open's expiry scan fails an assertion (`Assertion 'IS_LEAF(mp)' failed in
 * mdb_cursor_next`, SIGABRT, exit 134) or is followed as if it were a page (SIGSEGV, exit 139). Neither can be caught
 * in the process it happens in, so every run died at open with no message until the folder was deleted (measured
 * 2026-12-05 on a 3,000-entry cache of 87 pages: 75 of them zeroed one at a time each gave exit 134; filled with
 * random bytes, 21 gave 134 and 6 gave 139).
 *
 * So before a run's process opens the cache, a child process opens it and reads what that open reads (the meta
 * entries, the expiry scan's window of entries, all of them when eviction by count will walk them), and begins a write. Only a child killed by
 * one of the signals a crash sends, one that LMDB told the file is damaged, or one whose walk of the results stopped short
 * of their last entry without an error, is the damage; a child that fails otherwise
 * (another error, a refused reader slot, a timeout) says nothing here: the open that follows meets the same error and
 * reports it as it always did.
 */

// The signals of a crash. SIGINT, SIGTERM or SIGKILL (the user's ^C reaches the child too; the OOM killer) are not damage.
const CRASH_SIGNALS = new Set(['SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGSYS', 'SIGTRAP']);
// A child that reads for longer than this is stopped and left to the open that follows (a cache of 100,000 entries is
// probed in about 0.2 s). Well within the open lock's stale time, since the child reads under that lock and nothing
// refreshes it meanwhile: a waiter takes over any lock older than OPEN_LOCK_STALE_MS, whoever holds it, so a child let
// read for 120 s (as it was) could have its lock taken at 60 s, and another process's open or commit run beside its read.
export const PROBE_TIMEOUT_MS = OPEN_LOCK_STALE_MS / 2;

// How the child says it found damage LMDB did not report: the start of a line on its stderr, then the words.
const UNLIKE_MARK = 'sentiment-batch probe: ';

// CommonJS, so it runs with `node -e` from any folder: lmdb is loaded from the path this module resolves. Opened as
// cache-environment.ts opens it; the values are read as the expiry scan reads them (a garbled node's length is followed
// into memory it overruns: a keys-only walk of the same page passed where the scan then aborted), and a write is begun
// and aborted, for a write allocates pages from LMDB's list of free ones, which a damaged page there crashes
// (SIGSEGV after a scan that passed). An aborted write changes nothing in the file.
//
// A walk must reach the results' last key (or its limit). A damaged page whose flags say LEAF2 (fixed-size keys, no
// values) ends it there without an error: LMDB gives its keys at the database's fixed size, 0 here, which lmdb takes
// for the end, and copies first a value it was handed uninitialised. In this small child that was the entry before, and
// the walk ended quietly short, the probe passed; in the run's own process, the same walk of its open, memory that
// crashed it now and then (SIGSEGV in lmdb's iterate, exit 139, no line: 3 of 200 pages of random bytes, each of a
// 3,000-entry cache's 101 pages in turn with two seeds, all three flagged LEAF2; one of them crashed 2 runs of 5,
// 2026-12-05). One look-up of the last key (LMDB descends to it through the branch pages) and a comparison at the
// walk's end: no slower within the noise (the child alone, best of 5, 100k entries: 503 ms before, 534 ms after).
const CHILD = `
const [lmdbPath, dir, scanLimit, maxEntries] = process.argv.slice(1);
const { open, ABORT } = require(lmdbPath);
const root = open({ path: dir, maxDbs: 4, noSubdir: false, overlappingSync: false });
root.readerCheck();
const binary = { encoding: 'binary', keyEncoding: 'binary' };
const meta = root.openDB({ name: 'meta', ...binary });
const results = root.openDB({ name: 'results', ...binary });
meta.getBinary(Buffer.from('format'));
const cursor = Buffer.from('expiry-scan-after');
const after = meta.getBinary(cursor);
const range = after && after.length > 0 ? { start: Buffer.from(after), exclusiveStart: true } : {};
const entries = results.getStats().entryCount ?? 0;
// Iterated, not asArray: that hands an error to a promise, and the walk then met MDB_BAD_TXN, which is no damage here.
let last;
for (const key of results.getKeys({ reverse: true, limit: 1 })) last = Buffer.from(key);
const walk = (options, limit) => {
  let count = 0;
  let final;
  for (const { key } of results.getRange(limit === undefined ? options : { ...options, limit })) {
    count += 1;
    final = Buffer.from(key);
  }
  if (count >= (limit ?? Infinity)) return;
  const reached =
    last === undefined ? entries === 0
    : final !== undefined ? Buffer.compare(final, last) >= 0
    : options.start !== undefined && Buffer.compare(options.start, last) >= 0;
  if (!reached) {
    process.stderr.write(\`${UNLIKE_MARK}a walk of its results stopped short of their last entry, at a page LMDB reads as holding none\\n\`);
    process.exit(3);
  }
};
walk(range, Number(scanLimit));
if (entries > Number(maxEntries)) walk({});
root.transactionSync(() => {
  meta.putSync(cursor, Buffer.alloc(0));
  return ABORT;
});
`;

/** Data files already read by a child in this process (folder and inode): a command may open one store several times. */
const probed = new Set<string>();

/**
 * Throws the damaged-cache CacheError (exit 2) when reading the cache in `dir` as its open would kills a child process.
 * No data file yet, or an empty one, holds nothing to read: no child then.
 */
export function probeInChild(dir: string, named: SettingWords, reads: { scanLimit: number; maxEntries: number }): void {
  const file = path.join(dir, 'data.mdb');
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined || stats.size === 0) return;
  const key = `${path.resolve(dir)}\0${stats.ino}`;
  if (probed.has(key)) return;
  const lmdbPath = createRequire(import.meta.url).resolve('lmdb');
  // Under the open lock, as every open is (cache-open-lock.ts): the child's open must not overlap another process's commit.
  // Released when the child has ended, and taken again by this process's open (cache-environment.ts), so another process
  // may open, commit or close in between. Kept so: one hold over both would not make this process read what the child
  // read. Its open's expiry scan runs under a third hold (cache.ts), after the wait for a reader slot that is kept out of
  // the lock on purpose, and other processes commit between this process's reads all through a run. A commit writes
  // only pages of LMDB's own making (copy-on-write, into pages earlier commits freed): it adds no damage from outside to
  // what the child read. And the second take costs a symlink(2), a readlink(2) and an unlink(2).
  const lock = takeOpenLock(dir, { named });
  let child;
  try {
    child = spawnSync(process.execPath, ['-e', CHILD, lmdbPath, dir, String(reads.scanLimit), String(reads.maxEntries)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: PROBE_TIMEOUT_MS,
    });
  } finally {
    lock.release();
  }
  const stderr = child.stderr ?? '';
  if (child.signal !== null && CRASH_SIGNALS.has(child.signal)) throw damagedCacheError(dir, new Error(crashWords(child.signal, stderr)), named);
  // Damage LMDB reported to the child (cache-damage.ts): refused here, without this process reading what it read. The
  // same read in this process said so too, mostly; now and then it crashed instead (5 of 157 pages of random bytes, where
  // a copy of one such file, read again, reported MDB_PAGE_NOTFOUND in 12 of 12 runs).
  const reported = child.status !== 0 ? /\bMDB_(CORRUPTED|PAGE_NOTFOUND|INVALID)\b[^\n]*/.exec(stderr)?.[0] : undefined;
  if (reported !== undefined) throw damagedCacheError(dir, new Error(reported), named);
  // A walk that ended short of the last entry without an error: a damaged page LMDB read as holding none (CHILD says why).
  const unlike = child.status !== 0 ? stderr.split('\n').find((line) => line.startsWith(UNLIKE_MARK)) : undefined;
  if (unlike !== undefined) throw damagedCacheError(dir, new Error(unlike.slice(UNLIKE_MARK.length)), named);
  if (child.status === 0) probed.add(key);
}

/** What killed the child, with LMDB's assertion when it printed one: "LMDB aborted reading it: Assertion 'IS_LEAF(mp)' failed in mdb_cursor_next". */
function crashWords(signal: string, stderr: string): string {
  const assertion = /Assertion '.*' failed in \w+/.exec(stderr)?.[0];
  if (assertion !== undefined) return `LMDB aborted reading it: ${assertion}`;
  return signal === 'SIGSEGV' ? 'reading it crashed LMDB: a segmentation fault' : `reading it crashed LMDB: ${signal}`;
}
