import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { openExistingNoFollow } from './no-follow.js';

/**
 * The sha256 of a completed job's output, recorded in its checkpoint (`outputSha256`). A completed job whose export
 * grew is continued from its output (job/grown-input.ts); the proof of the checkpoint reads one row of it, so an
 * output changed after completion at the same length (a label or a score edited by hand, another file of that length
 * put there) was carried into the continued output, exit 0, where the grown file's fresh run has other bytes. Read
 * once when the job completes (or a mend replaces its output) and once before it is continued.
 */
export async function fileSha256(file: string): Promise<string> {
  const handle = await openExistingNoFollow(file, 'read');
  try {
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
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
