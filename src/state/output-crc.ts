import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { openExistingNoFollow } from './no-follow.js';

/** Read in pieces this large: few reads, little memory, whatever the partial output's size. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The CRC-32 of the first `length` bytes of `file` (not followed if a symlink), as a paused checkpoint records it of
 * its partial output (`partialCrc32`: job/job-checkpoint.ts). A CRC rather than a sha256: its state is one number, so
 * the writer carries it across checkpoints as it appends (io/output-file.ts) and never reads back what it wrote; only
 * a resume reads the partial output through once, to compare. It tells an edit made by hand or by another program, not
 * a forgery. Fewer bytes than `length` (cut since) read as they are: the CRC then differs.
 */
export async function fileCrc32(file: string, length: number): Promise<number> {
  const handle = await openExistingNoFollow(file, 'read');
  try {
    return await handleCrc32(handle, length);
  } finally {
    await handle.close();
  }
}

/** The CRC-32 of the first `length` bytes of the file open at `handle` (fewer if it ends before). */
export async function handleCrc32(handle: FileHandle, length: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(length, 1)));
  let crc = 0;
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - at), at);
    if (bytesRead === 0) break;
    crc = crc32(buffer.subarray(0, bytesRead), crc);
    at += bytesRead;
  }
  return crc;
}
