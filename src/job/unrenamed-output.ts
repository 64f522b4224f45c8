import { existsSync, lstatSync } from 'node:fs';
import { renameOver } from '../state/atomic-write.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { fileSha256 } from '../state/output-digest.js';

/**
 * A completed job killed between the checkpoint that completes it and the rename of its partial output, then a run of
 * another input at the same output (the nightly routine): the new job wrote over that partial output from its first
 * row, and stopped before it completed, left no output at all where the completed job's was to stay until the new one
 * completes (so did the same input under other settings, which reads the completed job's answers from it first). The
 * complete partial output is renamed into place first, when it is the one the completed job wrote (the
 * sha256 its checkpoint records; none recorded, by an older version: left as before). True when it was.
 */
export async function putCompletedOutputInPlace(checkpoint: Checkpoint, paths: { outputPath: string; partialPath: string }): Promise<boolean> {
  const { outputPath, partialPath } = paths;
  if (!checkpoint.completed || checkpoint.mending !== undefined || checkpoint.outputSha256 === undefined) return false;
  if (existsSync(outputPath) || !lstatSync(partialPath, { throwIfNoEntry: false })?.isFile()) return false;
  if ((await fileSha256(partialPath).catch(() => undefined)) !== checkpoint.outputSha256) return false;
  await renameOver(partialPath, outputPath);
  return true;
}
