/**
 * The hash the Hub gives a file: sha256 for large files kept in LFS (64 hex),
 * git's blob sha1 for small ones (40 hex). `model pull` checks a download with
 * it; `score --backend local` checks a pulled folder against the hashes the
 * pull recorded (pull-record.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface FileHash {
  size: number;
  /** Of the kind `expected` is: sha256, or git's blob sha1. */
  actual: string;
}

export function hashLike(file: string, expected: string): Promise<FileHash> {
  return hashFile(file, expected.length === 64 ? 'sha256' : 'git-sha1');
}

export async function hashFile(file: string, kind: 'sha256' | 'git-sha1'): Promise<FileHash> {
  const size = (await stat(file)).size;
  const hash = kind === 'sha256' ? createHash('sha256') : createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { size, actual: hash.digest('hex') };
}
