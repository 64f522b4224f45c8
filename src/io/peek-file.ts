import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A file's first bytes, for the advice an extension's refusal gives (json-array-export.ts, txt-export.ts, gzip-not-tar.ts); undefined
 * for anything but a regular file that opens: a named pipe is never waited on (O_NONBLOCK), nor read from.
 */
export function peekFile(file: string, bytes: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
