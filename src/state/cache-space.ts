import { existsSync, statfsSync, statSync, type StatsFs } from 'node:fs';
import path from 'node:path';

import { MachineFaultError } from '../errors.js';
import { flagWords, type SettingWords } from '../config/setting-names.js';
import { writeRefusal } from '../paths/write-refusal.js';
import { notWritableBy } from '../wording/not-writable.js';
import { errnoReason } from '../machine-fault.js';
import { fileSizeLimit, fileSizeLimitWords } from '../process/file-size-limit.js';

/**
 * Why the result cache watches its disk: when LMDB's disk fills in the middle
 * of a commit it rejects promises nobody can handle (the process dies with a
 * raw stack trace, exit 1) or corrupts its heap and aborts natively (exit 134,
 * measured on a 64 KiB tmpfs). Neither can be caught, so the cache must never
 * write into a full disk: it refuses to open without room, and stops writing
 * (reads go on) once the free space falls under the margin.
 */

/** Free space kept in reserve: far more than one commit of a run's puts writes (a few pages each). */
export const DEFAULT_MIN_FREE_BYTES = 16 * 1024 * 1024;
// A statfs call is cheap, but not for every row of a fast local model: the disk is checked every 200 ms,
// and sooner after 64 KiB of writes, so the writes between two checks stay far under the reserve however fast
// they come (a time bound alone let a loaded test machine write 320 KiB between two checks).
const CHECK_EVERY_MS = 200;
const CHECK_EVERY_BYTES = 64 * 1024;

/** Bytes this user may still write on the filesystem holding `dir`. */
export function freeBytes(dir: string, stats: StatsFs = statfsSync(dir)): number {
  return stats.bavail * stats.bsize;
}

/** `another --cache folder`, or `another folder for "cache" in the job file` (`which`: "another", "its own"). */
export function cacheFolderWords(named: SettingWords, which: string): string {
  return named.setting.startsWith('--') ? `${which} ${named.setting} folder` : `${which} folder for ${named.setting}`;
}

/** What to do instead, naming the setting as the user gave it (`--cache`, or the job file's "cache"). */
const advice = (named: SettingWords): string => `choose ${cacheFolderWords(named, 'another')}, or run without ${named.setting}`;

/** Throws a MachineFaultError (exit 74) when `dir` is read-only, not writable, or on a disk with less than `minFree` bytes free. */
export function assertRoomToWrite(dir: string, minFree: number, named: SettingWords = flagWords('--cache', dir)): void {
  const refused = writeRefusal(dir);
  if (refused) throw cacheFolderFault(dir, refused, named) ?? refused;
  // One statfs for the space and the inodes.
  const stats = statfsSync(dir);
  const free = freeBytes(dir, stats);
  if (free < minFree) throw lowSpace(dir, free, minFree, named);
  assertRoomForFiles(dir, stats, named);
  assertFileSizeRoom(dir, named);
}

/** Room the data file must have under the file-size limit: more than a run's commits write (a few pages each). */
const MIN_FILE_SIZE_ROOM = 1024 * 1024;

/**
 * A file-size limit (`ulimit -f`) that leaves the data file under 1 MiB to grow: LMDB writes pages 32 KiB in at open,
 * and under a limit below that it crashed the process (SIGSEGV, exit 139, no line; `ulimit -f 8`), at 32 KiB its open
 * failed as a usage error (`Cannot open the result cache …: File too large …: Use a writable directory`, exit 2).
 */
function assertFileSizeRoom(dir: string, named: SettingWords): void {
  const limit = fileSizeLimit();
  if (limit === undefined) return;
  let size = 0;
  try {
    size = statSync(path.join(dir, 'data.mdb')).size;
  } catch {
    // No data file yet: all of the limit is room.
  }
  if (limit - size >= MIN_FILE_SIZE_ROOM) return;
  throw new MachineFaultError(
    'EFBIG',
    `the result cache ${dir} needs its data file to grow to at least ${kib(size + MIN_FILE_SIZE_ROOM)}, over this process's file-size limit ${fileSizeLimitWords()}, or run without ${named.setting}`,
  );
}

// The files an open may create: LMDB's two, and the open lock (cache-open-lock.ts) taken around it.
const OPEN_CREATES = ['data.mdb', 'lock.mdb', 'open.lock'];

/**
 * A disk with space but no inode left (`df -i`; a tmpfs mounted with nr_inodes): LMDB's open failed creating lock.mdb
 * with its own words ("No space left on device: Attempting to setup locks … not a network share", exit 2), or, once
 * data.mdb was made, crashed the process (SIGSEGV, exit 139, no line, the output's lock left behind; measured
 * 2026-12-07 on tmpfs nr_inodes=2 and 3). A filesystem that reports no inode count (btrfs says 0 files) is not judged.
 */
function assertRoomForFiles(dir: string, { files, ffree }: StatsFs, named: SettingWords): void {
  const needed = OPEN_CREATES.filter((name) => !existsSync(path.join(dir, name))).length;
  if (files === 0 || ffree >= needed) return;
  throw new MachineFaultError(
    'ENOSPC',
    `no room for another file on the device holding the result cache folder ${dir}: its inodes are all used, though it has space left (df -i): remove files there, or ${advice(named)}`,
  );
}

/** The one line for a cache folder the machine refuses: exit 74 for a machine fault, else undefined. `named`: the setting that gave it. */
export function cacheFolderFault(dir: string, error: NodeJS.ErrnoException, named: SettingWords = flagWords('--cache', dir)): MachineFaultError | undefined {
  const code = error.code ?? '';
  const folder = `the result cache folder ${dir}`;
  // Each errno's clause is machine-fault.ts's (errnoReason), in the shape of its full lines, so one errno reads one way.
  const lines: Record<string, string> = {
    EROFS: `${folder} is on a ${errnoReason('EROFS')}: mount it writable`,
    ENOSPC: `${errnoReason('ENOSPC')} holding ${folder}: free some space`,
    EDQUOT: `${errnoReason('EDQUOT')} writing ${folder}: free some space`,
    EIO: `${errnoReason('EIO')} on the device holding ${folder}: check the disk`,
  };
  // Whom to give the folder to, as for every other folder the job may not write (wording/not-writable.ts).
  if (code === 'EACCES' || code === 'EPERM') return new MachineFaultError(code, `${folder} ${notWritableBy(dir, named.setting)}, or run without ${named.setting}`, { cause: error });
  const line = lines[code];
  return line === undefined ? undefined : new MachineFaultError(code, `${line}, or ${advice(named)}`, { cause: error });
}

/**
 * The refusal of a disk with room left, but under the reserve: it carries both figures, so a caller that words the
 * fault its own way (kept-answers.ts) can still say them (df shows the disk far from full).
 */
export class LowSpaceError extends MachineFaultError {
  constructor(
    readonly free: number,
    readonly needed: number,
    message: string,
  ) {
    super('ENOSPC', message);
    this.name = 'LowSpaceError';
  }
}

function lowSpace(dir: string, free: number, minFree: number, named: SettingWords): MachineFaultError {
  const said = kibUnder(free, minFree);
  return new LowSpaceError(free, minFree, `${errnoReason('ENOSPC')} holding the result cache ${dir} (${said.free} free, it needs ${said.needed}): free some space, or ${advice(named)}`);
}

/** Says, every 200 ms or 64 KiB of writes, whether the disk still has the margin; once it has not, it never writes again. */
export class SpaceWatch {
  #checkedAt = -Infinity;
  #bytesSinceCheck = 0;
  #full = false;

  constructor(
    private readonly dir: string,
    private readonly minFree: number,
    private readonly now: () => number = Date.now,
    private readonly free: () => number = () => freeBytes(dir),
  ) {}

  /**
   * True while a write of `bytes` may go on; the first false comes with the reason, for one warning, and as the fault
   * (a store whose writes must all land, kept-answers-import.ts, fails on it rather than going on without them).
   */
  roomToWrite(onFull: (message: string, fault: LowSpaceError) => void, bytes = 0): boolean {
    if (this.#full) return false;
    const now = this.now();
    this.#bytesSinceCheck += bytes;
    if (now - this.#checkedAt < CHECK_EVERY_MS && this.#bytesSinceCheck < CHECK_EVERY_BYTES) return true;
    this.#checkedAt = now;
    this.#bytesSinceCheck = 0;
    let free: number;
    try {
      free = this.free();
    } catch {
      return true; // the folder is still open to LMDB; a failed statfs is no reason to drop the cache
    }
    if (free >= this.minFree) return true;
    this.#full = true;
    const said = kibUnder(free, this.minFree);
    const message = `the disk holding the result cache ${this.dir} has ${said.free} free, under the ${said.needed} kept in reserve: no more results are written to the cache in this run (the output is not affected; free some space for the next run)`;
    onFull(message, new LowSpaceError(free, this.minFree, message));
    return false;
  }
}

/** 512 KiB, or 16.0 MiB. */
export function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.floor(bytes / 1024)} KiB`;
}

/**
 * A free figure under a need, both as kib says them, unless they read the same: then in KiB. A disk a few KiB under the
 * 16 MiB reserve was said to have "16.0 MiB free, it needs 16.0 MiB" (a 16,700 KiB tmpfs once a store was on it).
 */
export function kibUnder(free: number, needed: number): { free: string; needed: string } {
  if (kib(free) !== kib(needed)) return { free: kib(free), needed: kib(needed) };
  return { free: `${Math.floor(free / 1024)} KiB`, needed: `${Math.ceil(needed / 1024)} KiB` };
}
