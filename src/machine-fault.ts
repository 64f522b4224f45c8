import { existsSync } from 'node:fs';
import path from 'node:path';
import { MachineFaultError, SentimentBatchError } from './errors.js';

/**
 * The one mapping from operating-system refusals to what an operator reads:
 * a full disk, a read-only or unwritable folder, the open-file limit, a busy
 * port are faults of the machine, not bugs. Each becomes one line naming the
 * path or port and what to do, with exit code 74; the job's checkpoint is left
 * as it was, so the same command continues once the fault is fixed.
 */

const RUN_AGAIN = 'then run the same command again (it continues from the checkpoint)';

type Describe = (where: string, error: NodeJS.ErrnoException) => string;

const FAULTS: Record<string, Describe> = {
  ENOSPC: (where) => `no space left on the device holding ${where}: free some space or write elsewhere (-o), ${RUN_AGAIN}`,
  EDQUOT: (where) => `disk quota exceeded writing ${where}: free some space or raise the quota, ${RUN_AGAIN}`,
  EROFS: (where, e) => `${e.path !== undefined ? `the folder ${path.dirname(e.path)}` : where} is on a read-only filesystem: mount it writable or write elsewhere (-o), ${RUN_AGAIN}`,
  EACCES: (where, e) => `permission denied (${e.syscall ?? 'access'} ${where}): give this user access or write elsewhere (-o), ${RUN_AGAIN}`,
  EPERM: (where, e) => `operation not permitted (${e.syscall ?? 'access'} ${where}): give this user access or write elsewhere (-o), ${RUN_AGAIN}`,
  EMFILE: (where) => `too many open files in this process (at ${where}): raise the limit (ulimit -n) or lower --concurrency, ${RUN_AGAIN}`,
  ENFILE: (where) => `too many open files on this machine (at ${where}): close other programs or raise the system limit, ${RUN_AGAIN}`,
  EIO: (where) => `input/output error on the device holding ${where}: check the disk or volume, ${RUN_AGAIN}`,
  ENOTDIR: (where) => `a part of the path ${where} is not a folder (a file, or a symbolic link to nothing): fix the path, ${RUN_AGAIN}`,
  EISDIR: (where) => `${where} is a folder, expected a file: choose a file path, ${RUN_AGAIN}`,
  ELOOP: (where) => `${where} is a symbolic link, which this job never follows for its own files: remove it, ${RUN_AGAIN}`,
  EADDRINUSE: (where) => `${where} is already in use: choose another --port (0 picks a free one) or stop what listens there`,
  EADDRNOTAVAIL: (where) => `${where} is not an address of this machine: choose another --host`,
};

/** The machine fault an error is, or undefined (then it is a bug, or already one of ours). */
export function machineFaultOf(error: unknown): MachineFaultError | undefined {
  // Our own errors already say what to do (an unreadable input is an input error, exit 3).
  if (error instanceof SentimentBatchError) return undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const errno = current as FaultError;
    const code = errno.code;
    if (code === undefined) continue;
    const where = whereOf(errno);
    if (code === 'ENOENT' && errno.path !== undefined && isWrite(errno.syscall) && !existsSync(path.dirname(errno.path))) {
      return new MachineFaultError(code, `the folder ${path.resolve(path.dirname(errno.path))} does not exist: create it or choose another path, ${RUN_AGAIN}`, { cause: error });
    }
    const describe = FAULTS[code];
    if (describe && where !== undefined) return new MachineFaultError(code, describe(where, errno), { cause: error });
  }
  return undefined;
}

type FaultError = NodeJS.ErrnoException & { address?: string; port?: number; dest?: string };

function whereOf(error: FaultError): string | undefined {
  if (error.port !== undefined) return `port ${error.port}${error.address ? ` on ${error.address}` : ''}`;
  // Listening on port 0 (any free port): Node reports the address alone.
  if (error.address !== undefined) return `the address ${error.address}`;
  if (error.path !== undefined) return error.dest ? `${error.path} -> ${error.dest}` : error.path;
  // Some writes (a stream's, a FileHandle's) report no path; the syscall still tells what failed.
  return error.syscall !== undefined ? `a file (${error.syscall})` : undefined;
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
