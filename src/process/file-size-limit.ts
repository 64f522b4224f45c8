import { readFileSync } from 'node:fs';

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
