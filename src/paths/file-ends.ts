import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The first and last bytes of a file (at most `bytes` of the head, `tailBytes` of the tail), read through one
 * descriptor: what tells an earlier output or report from someone's data before a run replaces it (output-target.ts
 * reads the head alone, report-replace.ts both), without reading a file of gigabytes. Undefined when the file cannot
 * be opened or read.
 */
export function fileEnds(file: string, bytes: number, tailBytes = bytes): { head: Buffer; tail: Buffer } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const tail = Math.min(tailBytes, size);
    return { head: readAt(fd, 0, Math.min(bytes, size)), tail: readAt(fd, size - tail, tail) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Up to `length` bytes at `position` (fewer where the file ends first). */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
