import { getSystemErrorMap } from 'node:util';
import { causes, ConfigError, MachineFaultError, SentimentBatchError } from './errors.js';
import { machineFaultOf } from './machine-fault.js';
import type { FaultAdvice } from './machine-fault-advice.js';

/**
 * What an error that reached the command line is for the user, as one line
 * with its documented exit code: ours as they are, a machine fault as
 * machine-fault.ts words it, a working folder removed before the command
 * started or whose path is too long to read, and a path too long (exit 2), and any other refusal of the operating system (an error
 * with an errno code and the system call that failed) as an I/O error naming
 * the call and the path (exit 74). Anything else (a TypeError, a failed
 * assertion) is a bug: undefined, so the command line prints its stack.
 * `advice`: what a machine fault's line says to do, when the caller knows
 * better than the default (a job with no checkpoint yet: machine-fault-advice.ts jobAdvice).
 */
export function oneLineErrorOf(error: unknown, advice?: FaultAdvice): SentimentBatchError | undefined {
  if (error instanceof SentimentBatchError) return error;
  const errno = errnoOf(error);
  if (errno?.syscall === 'uv_cwd') {
    // getcwd(3) gives at most PATH_MAX (4096) bytes: a folder reached by cd'ing deeper than that is there, but its path
    // cannot be read, and every path this command opens is resolved to an absolute one, so none in it can be used.
    if (errno.code === 'ERANGE' || errno.code === 'ENAMETOOLONG') {
      return new ConfigError(
        `the working folder's path is longer than the 4096 bytes the system gives (${errno.code}): run the command from a folder with a shorter path, its files in folders whose paths are shorter too`,
        { cause: error },
      );
    }
    // Node resolves every relative path against it; absolute paths would still have worked.
    return new ConfigError(
      `the working folder no longer exists (it was removed while in use: ${errno.code}): change to an existing folder (cd), or give absolute paths, then run the command again`,
      { cause: error },
    );
  }
  if (errno?.code === 'ENAMETOOLONG' && errno.path !== undefined) {
    // File names over NAME_MAX are refused before any work (paths/name-length.ts); one left is a whole path over PATH_MAX,
    // met as the output's lock is made (its longest path), which no rerun of the same command gets past. The path named
    // may be shorter than the one refused: the lock's line names its folder, not the file built inside it.
    return new ConfigError(
      `${errno.syscall} ${errno.path} failed: a path there is longer than the ${PATH_MAX - 1} bytes the system takes (ENAMETOOLONG): choose a folder with a shorter path, then run the command again`,
      { cause: error },
    );
  }
  const fault = machineFaultOf(error, advice);
  if (fault || !errno) return fault;
  const where = errno.path === undefined ? '' : ` ${errno.path}${errno.dest === undefined ? '' : ` -> ${errno.dest}`}`;
  return new MachineFaultError(errno.code, `${errno.syscall}${where} failed: ${describe(errno)} (${errno.code}); check that path and the machine, then run the same command again`, { cause: error });
}

/** Linux's longest path, its closing NUL counted. */
const PATH_MAX = 4096;

type Errno = NodeJS.ErrnoException & { code: string; syscall: string; dest?: string };

/** The operating system's refusal in the error or its causes: an E-code (ENOENT, EIO...) with the system call that failed. */
function errnoOf(error: unknown): Errno | undefined {
  for (const current of causes(error)) {
    const { code, syscall } = current as NodeJS.ErrnoException;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string') return current as Errno;
  }
  return undefined;
}

/** "no such file or directory" for ENOENT, as strerror says it. */
function describe(errno: Errno): string {
  const known = typeof errno.errno === 'number' ? getSystemErrorMap().get(errno.errno)?.[1] : undefined;
  return known ?? errno.code;
}
