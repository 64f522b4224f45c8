import { createHash } from 'node:crypto';
import { lstatSync, type BigIntStats } from 'node:fs';
import { openExistingNoFollow } from './no-follow.js';

/** A file's sha256 (hex) and the bytes it was taken over. */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

/**
 * The last file digested, by identity. One run hashes the same bytes more than once: the completed output is sealed
 * into the list of failed rows and then recorded in the checkpoint (a second read of the whole output), a mend's copy
 * is recorded before its rename and again after it (the same inode under the output's name), and a rerun proves the
 * checkpoint's digest and then the list's seal of the same output. Each was a full read of the output (two of an 87 MB
 * one before a mend, two after). A rename keeps the inode, its size and its times but changes ctime, so ctime is not in
 * the key; a write changes the size or mtime, a file made anew its birth time. One entry is enough: the repeats follow
 * each other, and nothing else is held.
 * What the key cannot see: a rewrite in place at the same length whose mtime is put back (touch -r, cp -p over it:
 * checked, the remembered digest was returned), or one within one timestamp tick where timestamps are coarse (a kernel
 * without multigrain timestamps stamps writes to the clock tick; Linux 6.18 ext4 here missed none of 200 such rewrites).
 * This run writes no output in place (it appends, or writes a copy and renames it) and the lock keeps other runs off,
 * so only another program rewriting the output between two digests of one run goes unseen; one writing just after
 * the last digest went unseen before the digest was remembered too.
 */
let last: { key: string; digest: FileDigest } | undefined;

function identity(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.birthtimeNs}`;
}

/** The sha256 of `file` (not followed if a symlink), read once for as long as it is the same unchanged file. */
export async function fileDigest(file: string): Promise<FileDigest> {
  const handle = await openExistingNoFollow(file, 'read');
  try {
    const before = identity(await handle.stat({ bigint: true }));
    if (last?.key === before) return last.digest;
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    const digest = { sha256: hash.digest('hex'), bytes };
    // Changed while it was read (another program writing it): its digest is not remembered for either state.
    last = identity(await handle.stat({ bigint: true })) === before ? { key: before, digest } : undefined;
    return digest;
  } finally {
    await handle.close();
  }
}

/**
 * The sha256 of a completed job's output, recorded in its checkpoint (`outputSha256`). A completed job whose export
 * grew is continued from its output (job/grown-input.ts); the proof of the checkpoint reads one row of it, so an
 * output changed after completion at the same length (a label or a score edited by hand, another file of that length
 * put there) was carried into the continued output, exit 0, where the grown file's fresh run has other bytes. Read
 * once when the job completes (or a mend replaces its output) and once before it is continued.
 */
export async function fileSha256(file: string): Promise<string> {
  return (await fileDigest(file)).sha256;
}

/**
 * The digest of the output a completed checkpoint describes: its partial output while that is still to be renamed
 * over the output (a completing pass, a mend's copy), else the output at its path (a mend that replaced it already).
 */
export async function completedOutputSha256(paths: { outputPath: string; partialPath: string }): Promise<string> {
  return fileSha256(completedOutputPath(paths));
}

/** The file completedOutputSha256 reads: the partial output while it is there, else the output. */
export function completedOutputPath(paths: { outputPath: string; partialPath: string }): string {
  return isFile(paths.partialPath) ? paths.partialPath : paths.outputPath;
}

function isFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}
