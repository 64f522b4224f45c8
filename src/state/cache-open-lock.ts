import { randomBytes } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, openSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

import { errorMessage } from '../errors.js';
import { isGoneHolder, pidNamespace, type HolderIdentity } from '../process/dead-holder.js';
import { CacheError } from './cache-open.js';
import { cacheFolderFault } from './cache-space.js';
import { flagWords, type SettingWords } from '../config/setting-names.js';

/**
 * Why opening, closing and committing to a result cache take a lock of their
 * own, across processes:
 *
 * - LMDB's environment set-up and tear-down race each other. The last
 *   process to close an environment destroys its shared mutexes; one opening
 *   at that moment waits on the lock file and then uses them destroyed
 *   (measured: "Invalid argument" at the first write, or worse).
 * - An open must not overlap another process's commit. The LMDB inside lmdb
 *   3.5.6 sets the shared "last transaction" id in lock.mdb, at every open,
 *   to the id of the meta page that open read (mdb.c, mdb_env_open2; plain
 *   LMDB does so only for MDB_PREVSNAPSHOT). When a commit lands between that
 *   read and that write, the id goes back by one and the next write
 *   transaction starts from the older snapshot: the commit is lost without any
 *   error, or pages still in use are reused (MDB_BAD_TXN, SIGSEGV).
 *   So a cache takes this lock from its first uncommitted put until all its
 *   puts have committed (cache.ts), and opens wait for it.
 *
 * Reads need no lock of ours. The lock is `open.lock` in the cache folder: a
 * symbolic link whose text is its owner (host, pid, PID namespace, token),
 * made by one symlink(2), which fails when the path exists. So the lock never
 * exists without its owner: it used to be a file created with O_EXCL and then
 * written, and a process killed with -9 between the two (a writer killed
 * mid-run takes this lock for every batch) left it empty, which says nothing
 * of its owner, so every process after it waited the full stale time (a minute)
 * at open (how test/cache-process.test.ts hung now and then). Where the
 * filesystem has no symbolic links, the lock is such a file, as before.
 *
 * It is held for milliseconds (an event-loop turn and a commit; seconds when the
 * eviction at open has much to delete), so a waiter polls. A lock whose process
 * is gone (kill -9 during an open or a commit) is taken over at once on the same
 * host and in the same PID namespace; any lock older than OPEN_LOCK_STALE_MS is
 * taken over whoever holds it. A pid is asked about only in its own namespace
 * (process/dead-holder.ts): a container with `--network host` has the host's
 * name, and a host process's pid does not exist in it, so it took a live host
 * process's lock at once and opened during that process's commit.
 */

export const OPEN_LOCK_FILE = 'open.lock';
/** No open, close or commit takes this long: a lock this old is abandoned (another host's, or its pid reused). */
export const OPEN_LOCK_STALE_MS = 60_000;
// Polling interval bounds while another process holds the lock.
const FIRST_WAIT_MS = 2;
const LONGEST_WAIT_MS = 50;

interface Holder extends HolderIdentity {
  token: string;
}

/** A held open lock; `release` is idempotent. */
export interface OpenLock {
  release(): void;
}

/**
 * Runs `work` holding the open lock of cache folder `dir`, waiting for
 * another process's open, close or commit to finish first. Synchronous (the
 * cache opens synchronously): the wait blocks this thread, and only ever for
 * another process's open, close or commit.
 */
export function withOpenLock<T>(dir: string, work: () => T, named?: SettingWords): T {
  const lock = takeOpenLock(dir, { named });
  try {
    return work();
  } finally {
    lock.release();
  }
}

/** Takes the open lock of `dir` (see {@link withOpenLock}); the caller releases it. */
/** `named`: the setting that gave the folder, as messages name it (default `--cache DIR`). */
export function takeOpenLock(dir: string, options: { staleMs?: number; named?: SettingWords } = {}): OpenLock {
  const named = options.named ?? flagWords('--cache', dir);
  const lockPath = path.join(dir, OPEN_LOCK_FILE);
  const staleMs = options.staleMs ?? OPEN_LOCK_STALE_MS;
  const pidNs = pidNamespace();
  const me: Holder = { host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}), token: randomBytes(8).toString('hex') };
  // Bounded: a live holder is waited for until its lock is stale, then taken over. One holder is so taken over by
  // staleMs, so twice that is reached only when holders follow one another all that time, or when a lock's age cannot
  // be trusted (its mtime ahead of this clock: another host's, sharing the folder); then the line below says what to do.
  // Every holder ends well within staleMs: the probe's child is stopped at half of it (cache-probe.ts PROBE_TIMEOUT_MS).
  const deadline = Date.now() + 2 * staleMs;
  let wait = FIRST_WAIT_MS;
  for (;;) {
    if (tryCreate(lockPath, me, named)) return { release: () => releaseIfOurs(lockPath, me) };
    if (takeOverIfAbandoned(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new CacheError(
        `${named.head}: ${lockPath} has been held for over ${Math.round((2 * staleMs) / 1000)} s; ` +
          'if no sentiment-batch run uses this cache, delete that file',
      );
    }
    sleepSync(wait);
    wait = Math.min(LONGEST_WAIT_MS, wait * 2);
  }
}

/** Creates the lock holding `me`; false when it already exists. */
function tryCreate(lockPath: string, me: Holder, named: SettingWords): boolean {
  const owner = JSON.stringify(me);
  try {
    // One system call makes the lock and its owner together (the module's comment says why).
    symlinkSync(owner, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!NO_SYMLINKS.has(code ?? '')) throw lockFault(named, lockPath, error);
  }
  return tryCreateFile(lockPath, owner, named);
}

// symlink(2)'s answers where the filesystem cannot make symbolic links (FAT, some network and FUSE mounts).
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** The lock as a file, where there are no symbolic links: an owner killed between its creation and its write leaves it empty. */
function tryCreateFile(lockPath: string, owner: string, named: SettingWords): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockFault(named, lockPath, error);
  }
  try {
    writeSync(fd, `${owner}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function lockFault(named: SettingWords, lockPath: string, error: unknown): Error {
  const dir = path.dirname(lockPath);
  const code = (error as NodeJS.ErrnoException).code;
  return (
    cacheFolderFault(dir, error as NodeJS.ErrnoException, named) ??
    new CacheError(`${named.head}: cannot create the lock ${lockPath} (${code ?? errorMessage(error)}); choose another ${named.setting}`, { cause: error })
  );
}

/**
 * Removes a lock whose holder is gone (this host, pid not running) or that
 * is older than `staleMs`; true when the caller should try again at once. The
 * file is first renamed aside and read again, so a lock another process took
 * in between is put back, not removed.
 */
function takeOverIfAbandoned(lockPath: string, staleMs: number): boolean {
  const seen = readHolder(lockPath);
  if (seen === 'absent') return true; // released meanwhile
  let age: number;
  try {
    age = Date.now() - lstatSync(lockPath).mtimeMs;
  } catch {
    return true;
  }
  // An unreadable lock (empty: a file lock whose owner was killed before writing it, or not ours) is judged by
  // its age alone; so is one whose pid cannot be asked about here (another host or PID namespace, an older version).
  const gone = seen !== undefined && isGoneHolder(seen);
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
      putBack(aside, lockPath); // a live holder's lock (fails if yet another process took the path)
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

function releaseIfOurs(lockPath: string, me: Holder): void {
  const holder = readHolder(lockPath);
  if (holder === undefined || holder === 'absent' || holder.token !== me.token) return; // taken over after a long stall
  try {
    unlinkSync(lockPath);
  } catch {
    // removed meanwhile
  }
}

/** Puts a lock moved aside back at its path, as what it is (a symbolic link is made again, not followed). */
function putBack(aside: string, lockPath: string): void {
  if (lstatSync(aside).isSymbolicLink()) symlinkSync(readlinkSync(aside), lockPath);
  else linkSync(aside, lockPath);
}

/** The lock's holder; 'absent' when there is no lock, undefined when it cannot be read (empty, damaged, not ours). */
function readHolder(lockPath: string): Holder | 'absent' | undefined {
  let text: string;
  try {
    text = readLock(lockPath);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : undefined;
  }
  try {
    const data = JSON.parse(text) as Partial<Holder>;
    if (typeof data.host !== 'string' || !Number.isInteger(data.pid) || typeof data.token !== 'string') return undefined;
    // A lock of an older version records no namespace: its pid is then not asked about on Linux (dead-holder.ts).
    const pidNs = typeof data.pidNs === 'string' ? { pidNs: data.pidNs } : {};
    return { host: data.host, pid: data.pid as number, ...pidNs, token: data.token };
  } catch {
    return undefined;
  }
}

/** The text of a lock: a symbolic link's (never followed), or a file's (the form of older versions, and where there are no links). */
function readLock(lockPath: string): string {
  try {
    return readlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error; // EINVAL: not a symbolic link
  }
  const fd = openSync(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
