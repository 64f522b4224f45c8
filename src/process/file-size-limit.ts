import { readFileSync, statSync } from 'node:fs';
import { counted } from '../wording/counted.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { inContainer } from '../wording/in-container.js';

/**
 * A file-size limit (`ulimit -f`, RLIMIT_FSIZE) smaller than a file the job writes: the kernel sends SIGXFSZ, whose
 * default action ended the process on the spot (exit 153, "File size limit exceeded" from the shell, not a line of
 * ours, no summary), and every rerun under the same limit died the same way with its journal already past it
 * (operator34: 2,000 rows, `ulimit -f 100`, exit 153 twice). With the signal ignored the write fails with EFBIG
 * instead, which machine-fault.ts words as the machine's refusal (74) naming the limit; the checkpoint and the
 * journal stay as any refused write leaves them, so raising the limit and running the same command continues.
 * Installed when this module is evaluated: signals.ts loads it first, before any file is written.
 */
process.on('SIGXFSZ', () => undefined);

/**
 * This process's file-size limit in bytes as Linux reports it (/proc/self/limits, "Max file size"), or undefined
 * when it is unlimited or cannot be read (another system): Node has no getrlimit.
 */
export function fileSizeLimit(): number | undefined {
  try {
    const line = /^Max file size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const bytes = line === null ? Number.NaN : Number(line[1]);
    return Number.isSafeInteger(bytes) ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The limit as a line says it: `ulimit -f` counts blocks of 1,024 bytes in bash, so both are given. A limit under one
 * block (`prlimit --fsize=500`, LimitFSIZE=500, sh's `ulimit -f 1`: 512 bytes) is one bash shows as 0, the value that
 * sets a limit of no byte: said as its bytes, then what bash shows.
 */
export function fileSizeLimitShown(bytes: number | undefined = fileSizeLimit()): string {
  if (bytes === undefined) return 'ulimit -f';
  if (bytes > 0 && bytes < 1024) return `${counted(bytes, 'byte')}; bash's ulimit -f shows 0, in blocks of 1,024 bytes`;
  return `ulimit -f ${groupedNumber(Math.floor(bytes / 1024))}: ${groupedNumber(bytes)} bytes`;
}

/**
 * How to raise the limit. In a container the limit may be the runtime's (`docker run --ulimit fsize=…`), which a
 * `ulimit` in the host's script does not reach, or a shell's inside it: both are said. `container`: whether the run is
 * in one (a parameter for the tests).
 */
export function raiseFileSizeLimit(container: boolean = inContainer()): string {
  const runtime = container ? '; in a container, docker run --ulimit fsize=-1, or leave --ulimit fsize out' : '';
  return `raise it (ulimit -f unlimited, where the command is started: its script, crontab line or service (LimitFSIZE=infinity)${runtime})`;
}

/** What the refusal's line says of the limit and how to raise it (machine-fault.ts). */
export function fileSizeLimitWords(container: boolean = inContainer()): string {
  return `(${fileSizeLimitShown()}): ${raiseFileSizeLimit(container)}`;
}

/**
 * What helps where standard output or error goes once it refused a write (`> scored.csv`, cron's `>> log 2>&1`): for
 * EFBIG the file reached this process's limit, on a disk with room, where "free space" helped nothing; else room.
 */
export function streamRemedy(code: string | undefined): string {
  return code === 'EFBIG' ? `the file it goes to reached this process's file-size limit ${fileSizeLimitWords()}, or send it elsewhere` : 'free space where it goes, or send it elsewhere';
}

/**
 * Whether `file` has grown to this process's file-size limit (`limit`, a parameter for the tests): a write to it then
 * fails however it is said (EIO).
 */
export function atFileSizeLimit(file: string, limit: number | undefined = fileSizeLimit()): boolean {
  if (limit === undefined) return false;
  try {
    return statSync(file).size >= limit;
  } catch {
    return false;
  }
}
