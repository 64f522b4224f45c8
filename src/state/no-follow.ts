import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { lstat, open, rm, type FileHandle } from 'node:fs/promises';
import { withPath } from '../machine-fault.js';
import { writeFullySync } from '../io/write-fully.js';
import { kindOf } from '../wording/file-kind.js';
import { refuseForeignOwner } from './foreign-file.js';

/**
 * Opening the job's own files (partial output, checkpoint, lock, summary,
 * standard input's copy, answer journal, failed-rows list) without ever
 * following a symlink someone planted at their path: in a shared folder, /tmp
 * or a shared volume, `out.csv.partial -> ~/.bashrc` would otherwise make the
 * job overwrite the link's target. Async entry points for the output and its
 * checkpoint, synchronous ones for the journal and the failed-rows list (whose
 * appends must be on disk when the call returns).
 *
 * - An existing file is opened with O_NOFOLLOW: a symlink fails with ELOOP.
 * - A new file is created with O_CREAT|O_EXCL (which never follows a symlink
 *   either): whatever was at the path is unlinked first (a link, not its target).
 * The folder itself is the user's choice and trusted.
 */

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;
/**
 * A named pipe planted at one of these paths made open() wait for a writer (or a reader) forever: the run hung,
 * its lock alive, and every later run exited 75. O_NONBLOCK opens one at once (a regular file ignores the flag),
 * and the file's type is then checked. Absent on Windows (0: no such pipes there).
 */
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

const READ = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
const READ_WRITE = O_RDWR | O_NOFOLLOW | O_NONBLOCK;
/** EEXIST when anything (a file, a symlink) is already at the path. */
const CREATE_EXCLUSIVE = O_CREAT | O_EXCL | O_NOFOLLOW;
/** On a named pipe with no reader: ENXIO at once, instead of waiting for one. */
const APPEND = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK;

/** Files the job creates are readable by others, like the output (umask applies). */
const SHARED_MODE = 0o644;
/**
 * The answer journal holds the texts sent and their answers, not a result to share: owner-only, whatever the umask. (The
 * failed-rows list, row positions and codes, is written by writeFileAtomic like the output; its appends reopen it.)
 */
const PRIVATE_MODE = 0o600;

export type ExistingMode = 'read' | 'read-write';

/**
 * `jobFile`: the file is one of the job's own beside its output (checkpoint, partial output, journal, failed-rows
 * list, kept answers), refused (ForeignFileError) when another user left it in a sticky folder (foreign-file.ts).
 */
export interface JobFileOption {
  jobFile?: boolean;
}

/** Whether an open failed because the path is a symlink (which these functions never follow). */
export function isSymlinkRefusal(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOOP';
}

/** The code of the error readFileNoFollow throws for a path that holds neither a file nor a folder (a named pipe, a socket, a device). */
export const NOT_A_FILE = 'ENOTAFILE';

function notAFile(file: string, stats: Stats): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file} is ${kindOf(stats)}, not a file`), { code: NOT_A_FILE, path: file });
}

// --- async -------------------------------------------------------------------

/** Opens an existing file without following a symlink; ELOOP when the path is one. */
export async function openExistingNoFollow(file: string, mode: ExistingMode, options: JobFileOption = {}): Promise<FileHandle> {
  const handle = await open(file, mode === 'read' ? READ : READ_WRITE);
  if (options.jobFile !== true) return handle;
  try {
    refuseForeignOwner(file, (await handle.stat()).uid);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/**
 * Creates `file` anew for writing (and reading): unlinks whatever is at the path, then creates it exclusively. Another
 * user's file in a sticky folder may not be unlinked (but by root): Node's rm then tries rmdir, whose ENOTDIR was said
 * as `a part of the path … is not a folder`; such a file is refused naming its owner and the way out instead.
 */
export async function createFresh(file: string): Promise<FileHandle> {
  try {
    await rm(file, { force: true });
  } catch (error) {
    const there = await lstat(file).catch(() => undefined);
    if (there !== undefined) refuseForeignOwner(file, there.uid);
    throw error;
  }
  return createExclusive(file);
}

/** Creates `file` for writing (and reading); EEXIST when anything (a file, a symlink) is already at the path. */
export async function createExclusive(file: string): Promise<FileHandle> {
  return open(file, O_RDWR | CREATE_EXCLUSIVE, SHARED_MODE);
}

/** Reads a whole file as UTF-8 without following a symlink. */
export async function readFileNoFollow(file: string, options: JobFileOption = {}): Promise<string> {
  const handle = await openExistingNoFollow(file, 'read', options);
  try {
    const stats = await handle.stat();
    // A folder reads as EISDIR, as before; a named pipe would wait for a writer.
    if (!stats.isFile() && !stats.isDirectory()) throw notAFile(file, stats);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

// --- sync (the journal and the failed-rows list) -----------------------------

/** Opens `file` for appending, created owner-only if missing; ELOOP when the path is a symlink. */
export function openAppendNoFollowSync(file: string): number {
  return openSync(file, APPEND, PRIVATE_MODE);
}

/** Creates `file` owner-only for writing; EEXIST when anything (a file, a symlink) is already at the path. */
export function createExclusiveSync(file: string): number {
  return openSync(file, O_WRONLY | CREATE_EXCLUSIVE, PRIVATE_MODE);
}

/**
 * createExclusiveSync for a file that is shared like the output (createExclusive's mode): the summary written by a
 * process exiting on a second signal, which a monitor running as another user reads as it reads any other run's.
 */
export function createSharedExclusiveSync(file: string): number {
  return openSync(file, O_WRONLY | CREATE_EXCLUSIVE, SHARED_MODE);
}

/**
 * The file's text, or undefined when there is none to read: the file is missing, or is not a regular file (a
 * symbolic link, which is never followed; a folder, a named pipe, a device), which the caller replaces. A file that is
 * there and refused (permission, an I/O error) is thrown, naming the file: read as "none", the answer journal's paid
 * answers and the list of rows that failed transiently were replaced by empty ones, the answers paid for again and
 * the rows taken for ones refused for their text and never retried, where a chmod would have kept them.
 */
export function readTextNoFollow(file: string, options: JobFileOption = {}): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, READ);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENXIO') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined; // a named pipe would wait for a writer
    if (options.jobFile === true) refuseForeignOwner(file, stats.uid);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    throw withPath(error, file); // a read through a descriptor names no file
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `text` at the descriptor's position (appends for O_APPEND): io/write-fully.ts. */
export function writeAllSync(fd: number, text: string): void {
  writeFullySync(fd, text);
}
