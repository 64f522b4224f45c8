import { statfsSync } from 'node:fs';
import path from 'node:path';
import { causes, MachineFaultError, SentimentBatchError } from './errors.js';
import { DEFAULT_ADVICE, elsewhereFlag, orElsewhere, startsAfresh, type FaultAdvice } from './machine-fault-advice.js';
import { removedMeanwhile } from './paths/removed-folder.js';
import { writeRefusal } from './paths/write-refusal.js';
import { fileSizeLimitWords } from './process/file-size-limit.js';
import { isSwappedFolder, swappedFolderLine } from './state/swapped-folder.js';
import { readRefusal } from './wording/not-readable.js';
import { notWritableBy } from './wording/not-writable.js';

/**
 * The one mapping from operating-system refusals to what an operator reads:
 * a full disk, a read-only or unwritable folder, the open-file limit, a busy
 * port are faults of the machine, not bugs. Each becomes one line naming the
 * path or port and what to do (its advice: machine-fault-advice.ts), with exit
 * code 74; the job's checkpoint is left as it was, so the same command continues
 * once the fault is fixed.
 */

/**
 * What an errno means, as a short clause: the one wording of each, used by the full lines below and by the lines that
 * say the fault inside their own sentence (kept-answers.ts, state/cache-space.ts), so that one errno reads one way.
 */
const ERRNO_REASONS = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only filesystem',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
} as const satisfies Record<string, string>;

/** An errno the table above words. */
type WordedErrno = keyof typeof ERRNO_REASONS;

/**
 * The short clause for `errno` (`no space left on the device`): always one for an errno the table holds (the lines
 * below), undefined for any other (a fault's errno, which may be any).
 */
export function errnoReason(errno: WordedErrno): string;
export function errnoReason(errno: string): string | undefined;
export function errnoReason(errno: string): string | undefined {
  return Object.hasOwn(ERRNO_REASONS, errno) ? ERRNO_REASONS[errno as WordedErrno] : undefined;
}

/**
 * What mends an errno's fault, as a short clause, where that is the same whatever the file: said by the full lines
 * below and by kept-answers-fault.ts, whose general advice (free some space, make the folder writable) does not fit
 * these (a failing disk is not mended by space).
 */
const ERRNO_REMEDIES: Record<string, string> = {
  EDQUOT: 'free some space or raise the quota',
  EIO: 'check the disk or volume',
  EMFILE: 'raise the open-files limit (ulimit -n, e.g. to 1024)',
  ENFILE: "close other programs or raise the system's limit (sysctl fs.file-max)",
};

/** The remedy of `errno` (`check the disk or volume`), or undefined where it depends on the file or is not tabled. */
export function errnoRemedy(errno: string): string | undefined {
  return Object.hasOwn(ERRNO_REMEDIES, errno) ? ERRNO_REMEDIES[errno] : undefined;
}

type Describe = (where: string, error: NodeJS.ErrnoException, advice: FaultAdvice) => string;

const FAULTS: Record<string, Describe> = {
  ENOSPC: (_w, e, a) =>
    outOfInodes(e.path)
      ? `no room for another file on the device holding ${knownName(e)}: its inodes are all used, though it has space left (df -i): remove files there${orElsewhere(a)}, ${a.again}${startsAfresh(a)}`
      : `${errnoReason('ENOSPC')} holding ${knownName(e)}: free some space${orElsewhere(a)}, ${a.again}${startsAfresh(a)}`,
  EDQUOT: (_w, e, a) => `${errnoReason('EDQUOT')} writing ${knownName(e)}: ${errnoRemedy('EDQUOT')}, ${a.again}`,
  EROFS: (where, e, a) => `${e.path !== undefined ? `the folder ${path.dirname(e.path)}` : where} is on a ${errnoReason('EROFS')}: mount it writable${orElsewhere(a)}, ${a.again}${startsAfresh(a)}`,
  EACCES: (where, e, a) => refusedFolderLine(errnoReason('EACCES'), where, e, a) ?? `${errnoReason('EACCES')} (${e.syscall ?? 'access'} ${where}): give this user access${orElsewhere(a)}, ${a.again}${startsAfresh(a)}`,
  EPERM: (where, e, a) => refusedFolderLine(errnoReason('EPERM'), where, e, a) ?? `${errnoReason('EPERM')} (${e.syscall ?? 'access'} ${where}): give this user access${orElsewhere(a)}, ${a.again}${startsAfresh(a)}`,
  // Where the limit was met says nothing (often a module of this tool being loaded): the limit is what to change.
  EMFILE: (_w, _e, a) => `too many open files in this process: ${errnoRemedy('EMFILE')}, ${a.again}`,
  ENFILE: (_w, _e, a) => `too many open files on this machine: ${errnoRemedy('ENFILE')}, ${a.again}`,
  EIO: (_w, e, a) => `${errnoReason('EIO')} on the device holding ${knownName(e)}: ${errnoRemedy('EIO')}, ${a.again}`,
  // The process's file-size limit (ulimit -f), not the disk: file-size-limit.ts turns its SIGXFSZ into this errno.
  EFBIG: (_w, e, a) => `${knownName(e)} reached this process's file-size limit ${fileSizeLimitWords()}, ${a.again}`,
  ENOTDIR: (where, _e, a) => `a part of the path ${where} is not a folder (a file, or a symbolic link to nothing): fix the path, ${a.again}`,
  // A rename onto a folder (a job's journal or list of failed rows, written beside and renamed): the folder is its target,
  // not the temporary file the user never named (`….journal.tmp-PID -> ….journal is a folder` was said).
  EISDIR: (where, e, a) => `${(e as FaultError).dest ?? where} is a folder, expected a file: move or remove that folder${elsewhereFlag(a) === undefined ? '' : ` (or choose another path, ${a.flag})`}, ${a.again}${startsAfresh(a)}`,
  ELOOP: (where, _e, a) => `${where} is a symbolic link, which this job never follows for its own files: remove it, ${a.again}`,
  EADDRINUSE: (where) => `${where} is already in use: choose another --port (0 picks a free one) or stop what listens there`,
  EADDRNOTAVAIL: (where) => `${where} is not an address of this machine: choose another --host`,
};

/**
 * The refusal behind a fault worded by default (machineFaultOf without advice, where it happened), for the command to
 * word again with the advice it knows (the job's state, its "output" setting); any other error as it is.
 */
export function refusalOf(error: unknown): unknown {
  if (!(error instanceof MachineFaultError) || error.cause === undefined) return error;
  return machineFaultOf(error.cause)?.message === error.message ? error.cause : error;
}

/**
 * A folder the job writes into, removed while it ran (output-lock.ts says it too, when its heartbeat is first to find it
 * gone). `input`: the input, when it was in that folder and went with it (job/removed-output-folder.ts): the same
 * command alone would find nothing to read, so the line says to put it back first (operator29).
 */
export function removedFolderLine(folder: string, input?: string): string {
  return `the folder ${folder} does not exist any more: it was removed while the command ran${removedFolderAdvice(input)} (a checkpoint kept in that folder went with it)`;
}

/**
 * What a line of a folder removed under the run ends with: `input` when the input was in it and went with it (then the
 * same command alone finds nothing to read), else that the same command makes the folder again. Said by the folder's
 * line and by kept-answers-fault.ts's, which says what else went with it.
 */
export function removedFolderAdvice(input?: string): string {
  if (input !== undefined) {
    return `, and the input ${input} went with it: make the folder again and put the input back in it (or export it again there), then run the same command: it starts over`;
  }
  return '; run the same command again: it makes the folder again and starts over';
}

/**
 * The machine fault an error is, or undefined (then it is a bug, or already one of ours).
 * `advice` is for a file that is not the job's output: the report, the summary file.
 */
export function machineFaultOf(error: unknown, advice: FaultAdvice = DEFAULT_ADVICE): MachineFaultError | undefined {
  // Our own errors already say what to do (an unreadable input is an input error, exit 3).
  if (error instanceof SentimentBatchError) return undefined;
  for (const current of causes(error)) {
    const errno = current as FaultError;
    const code = systemCodeOf(errno);
    if (code === undefined) continue;
    const where = whereOf(errno);
    if (code === 'ENOENT' && errno.path !== undefined && isWrite(errno.syscall) && removedMeanwhile(path.dirname(errno.path))) {
      const folder = path.resolve(path.dirname(errno.path));
      return new MachineFaultError(code, removedFolderLine(folder), { cause: error });
    }
    if (code === 'ENOENT' && errno.path !== undefined && isWrite(errno.syscall) && isSwappedFolder(path.dirname(path.resolve(errno.path)))) {
      // There, but not the output's folder the run found (a mount under it lazily unmounted): swapped-folder.ts.
      return new MachineFaultError(code, swappedFolderLine(path.resolve(path.dirname(errno.path))), { cause: error });
    }
    const folder = errno.path === undefined ? undefined : path.resolve(path.dirname(errno.path));
    if (code === 'ENOENT' && errno.path !== undefined && folder !== undefined && isCreate(errno.syscall) && takesNoNewFiles(folder)) {
      // The folder is there, yet creating in it says ENOENT: /proc and /sys answer so (-o /proc/self/o.csv).
      return new MachineFaultError(code, `cannot create ${errno.path}: the folder ${folder} exists but its filesystem takes no new files there (ENOENT, as /proc and /sys do): write elsewhere (${advice.flag})`, { cause: error });
    }
    const refusedFile = code === 'EACCES' || code === 'EPERM' ? refusedFileLine(errno, advice) : undefined;
    if (refusedFile !== undefined) return new MachineFaultError(code, refusedFile, { cause: error });
    const describe = FAULTS[code];
    if (describe && where !== undefined) return new MachineFaultError(code, describe(where, errno, advice), { cause: error });
  }
  return undefined;
}

/**
 * A write refused because the folder is not this user's to write (a bind mount owned by another uid): the line
 * names that folder, the one the user gave, and whom to give it to, before the file the job was making there
 * (its lock, a temp file: names the user never gave). Undefined when the folder itself takes writes (the file is
 * the one refused) or cannot be asked.
 */
function refusedFolderLine(what: string, where: string, error: NodeJS.ErrnoException, advice: FaultAdvice): string | undefined {
  if (error.path === undefined || !isWrite(error.syscall)) return undefined;
  const folder = path.resolve(path.dirname(error.path));
  const refused = writeRefusal(folder)?.code;
  if (refused !== 'EACCES' && refused !== 'EPERM') return undefined;
  return `${what}: the folder ${folder} ${notWritableBy(folder, elsewhereFlag(advice))}, ${advice.again} (${error.syscall} ${where})${startsAfresh(advice)}`;
}

/**
 * A file this user may not read or write (or a folder on its way it may not enter): what refuses it and what to do,
 * not a folder "not writable" with "write elsewhere", which moving the job's files does not mend (the checkpoint, the
 * journal and the list of failed rows are read where they are). Undefined when the file is not there (a file being
 * created: the folder's refusal is worded below) or nothing about it refuses this user.
 */
function refusedFileLine(error: NodeJS.ErrnoException, advice: FaultAdvice): string | undefined {
  const listing = LISTINGS.has(error.syscall ?? '');
  if (error.path === undefined || (!listing && !READS.has(error.syscall ?? ''))) return undefined;
  const denied = errnoReason(error.code === 'EPERM' ? 'EPERM' : 'EACCES');
  // A folder listed (a Hub cache's): only read; no "write elsewhere", which a listing cannot do.
  const why = readRefusal(error.path, !listing && advice.readsOnly !== true);
  if (why === undefined) return undefined;
  const head = listing ? `${denied} (${error.syscall} ${path.resolve(error.path)})` : `cannot ${error.syscall === 'open' ? 'open' : 'read'} ${path.resolve(error.path)} (${denied})`;
  return `${head}: ${why}, ${advice.again}`;
}

/** The calls that open a file or read one. */
const READS = new Set(['open', 'read']);
/** The calls that list a folder. */
const LISTINGS = new Set(['scandir', 'opendir']);

type FaultError = NodeJS.ErrnoException & { address?: string; port?: number; dest?: string; info?: { code?: unknown } };

/**
 * The operating system's code of an error: its own, or, for Node's SystemError (fs.rm on a folder throws
 * ERR_FS_EISDIR, its errno code in `info`), the one it wraps, so that such a refusal is worded like any other.
 */
function systemCodeOf(error: NodeJS.ErrnoException & { info?: { code?: unknown } }): string | undefined {
  const wrapped = error.info?.code;
  if (typeof error.code === 'string' && error.code.startsWith('ERR_') && typeof wrapped === 'string' && /^E[A-Z0-9]+$/.test(wrapped)) return wrapped;
  return error.code;
}

/**
 * Where a fault of the device (a full disk, a quota, EIO) was met, as the user knows it: the file an atomic write's
 * temporary file (`out.csv.failed-rows.tmp-PID`, state/atomic-write.ts; the journal's alike) was to become, which is on
 * the same device. That name was said, gone by the time the line was read, and one the user never gave.
 */
function knownName(error: FaultError): string {
  const where = whereOf(error) as string;
  if (error.path === undefined || error.port !== undefined || error.address !== undefined || !TEMP_SUFFIX.test(error.path)) return where;
  // A rename names the file it was to become; an open or a write, only the temporary file.
  return error.dest ?? error.path.replace(TEMP_SUFFIX, '$1');
}

/** The suffix of the temporary files this tool writes beside a file and renames over it (a mend's list of failed rows is first `.next`). */
const TEMP_SUFFIX = /(\.failed-rows)\.next\.tmp-\d+$|\.tmp-\d+$/;

function whereOf(error: FaultError): string | undefined {
  if (error.port !== undefined) return `port ${error.port}${error.address ? ` on ${error.address}` : ''}`;
  // Listening on port 0 (any free port): Node reports the address alone.
  if (error.address !== undefined) return `the address ${error.address}`;
  if (error.path !== undefined) return error.dest ? `${error.path} -> ${error.dest}` : error.path;
  // Some writes (a stream's, a FileHandle's) report no path; the syscall still tells what failed.
  return error.syscall !== undefined ? `a file (${error.syscall})` : undefined;
}

/** What creates a file or folder; a rename's ENOENT is its source gone, not the target's folder refusing. */
function isCreate(syscall: string | undefined): boolean {
  return syscall === 'open' || syscall === 'mkdir';
}

/**
 * Whether the filesystem holding `file` refused it for want of an inode, not of space: ENOSPC says either. "No space
 * left" sent the operator to `df -h`, which showed room. A few inodes free count as none: the files this command
 * made there and removed on its way out (its lock) freed theirs before the line is worded. A filesystem that
 * reports no inode count (btrfs: 0 of 0) is never said to lack one.
 */
function outOfInodes(file: string | undefined): boolean {
  if (file === undefined) return false;
  try {
    const fs = statfsSync(path.dirname(file));
    return fs.files > 0 && fs.ffree <= 8 && fs.bavail > 0;
  } catch {
    return false;
  }
}

/** proc and sysfs (statfs magic numbers): their folders exist, yet creating a file in them says ENOENT. */
const NO_NEW_FILES = new Set([0x9fa0, 0x62656572]);

/** Whether `folder` is on such a filesystem; an ENOENT elsewhere (a file gone meanwhile) is not worded as one. */
function takesNoNewFiles(folder: string): boolean {
  try {
    return NO_NEW_FILES.has(Number(statfsSync(folder).type));
  } catch {
    return false;
  }
}

function isWrite(syscall: string | undefined): boolean {
  return syscall === 'open' || syscall === 'mkdir' || syscall === 'rename' || syscall === 'link';
}

/** Adds the file's path to an error that lacks one (writes through a FileHandle report none), so the fault can name it. */
export function withPath(error: unknown, file: string): unknown {
  if (error instanceof Error && (error as NodeJS.ErrnoException).code !== undefined && (error as NodeJS.ErrnoException).path === undefined) {
    (error as NodeJS.ErrnoException).path = file;
  }
  return error;
}
