import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The first and last bytes of a file (at most `bytes` of each), read through one descriptor: what tells an earlier
 * output or report from someone's data before a run replaces it (output-target.ts, report-replace.ts), without
 * reading a file of gigabytes. Undefined when the file cannot be opened or read.
 */
export function fileEnds(file: string, bytes: number): { head: Buffer; tail: Buffer } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(bytes, size);
    return { head: readAt(fd, 0, length), tail: readAt(fd, size - length, length) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
