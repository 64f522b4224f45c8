import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { kindOf } from '../wording/file-kind.js';

/** The code of the error for a named pipe (or a device) that gave nothing to read: nothing writes to it. */
export const NOTHING_WRITES = 'ENOWRITER';

/**
 * The text of a small file the command is given to read (a job file, the token file, a model folder's config.json
 * and tokenizer.json, the Hub cache's refs), never waiting for a writer that is not there. A named pipe at such a
 * path with nothing writing to it was opened and read with the process's one thread waiting for a writer for ever:
 * no line, and SIGTERM could not end it (only SIGKILL). It is opened without waiting and read from the writer already
 * there, as `run <(envsubst < job.json)` or `CLOUDFLARE_API_TOKEN_FILE=<(pass show cf)` give one; with none there, it
 * is an error (`NOTHING_WRITES`, worded by wording/unreadable-file.ts). A folder reads as EISDIR, as before.
 */
export function readGivenTextSync(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    // O_NONBLOCK changes nothing for a regular file; a folder throws EISDIR here, as readFileSync(file) did.
    if (stats.isFile() || stats.isDirectory()) return readFileSync(fd, 'utf8');
    const read = readWritten(fd);
    if (read === undefined) throw Object.assign(new Error(`${file} is ${kindOf(stats)} that nothing writes to`), { code: NOTHING_WRITES, path: file, kind: kindOf(stats) });
    return read;
  } finally {
    closeSync(fd);
  }
}

/** What a writer gives through a pipe opened without waiting, to its end; undefined when no writer was there. */
function readWritten(fd: number): string | undefined {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  // A writer that is there but has not written yet answers EAGAIN; with none, the first read is the end (0 bytes).
  let writer = false;
  for (;;) {
    let bytes: number;
    try {
      bytes = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      writer = true;
      pause(10);
      continue;
    }
    if (bytes === 0) break;
    writer = true;
    chunks.push(Buffer.from(buffer.subarray(0, bytes)));
  }
  return writer ? Buffer.concat(chunks).toString('utf8') : undefined;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Waits `ms` without a busy loop (this is a synchronous read: the event loop waits with it, as a blocking read would). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
