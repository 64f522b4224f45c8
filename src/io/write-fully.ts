import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Writes all of `bytes` through `handle`, at `position` (null: at the file's offset, as an append does). A file system
 * with less room than that takes a part and says so, without an error (write(2) on a nearly full disk: 12,288 of 40,000
 * bytes on a tmpfs), and Node's FileHandle.write does not go on: the rest is written here, so that a full disk is the
 * error of the next part. Counted whole, the part not taken was a gap of NULs in the output (its next write landed past
 * the file's end) or bytes missing from a download. None taken and no error: nothing says more would be, so it is a
 * fault of the device (EIO, exit 74), not a loop without end. The caller adds the file's path to the error.
 */
export async function writeFully(handle: FileHandle, bytes: Buffer, position: number | null): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position === null ? null : position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('the file system took none of the bytes written'), { code: 'EIO' });
    done += bytesWritten;
  }
}

/**
 * writeFully for a descriptor written synchronously (the journal's appends, the failed-rows list, standard output and
 * error into a file, the readable log lines): write(2) takes a part as readily there (a nearly full disk, the
 * file-size limit: `ulimit -f`), and the rest is written until the kernel refuses it (ENOSPC, EFBIG). `progress.written`
 * counts the bytes taken, also when a refusal ends the write (what a line saying how far the file got needs).
 */
export function writeFullySync(fd: number, data: Buffer | string, progress: { written: number } = { written: 0 }): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  while (progress.written < bytes.length) {
    const written = writeSync(fd, bytes, progress.written, bytes.length - progress.written);
    if (written === 0) throw Object.assign(new Error('the file system took none of the bytes written'), { code: 'EIO' });
    progress.written += written;
  }
}
