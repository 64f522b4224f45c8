import { lstatSync } from 'node:fs';
import type { Logger } from '../log.js';
import { errorMessage } from '../errors.js';
import { sameIdentity, writeCheckpoint, type Checkpoint, type InputFileId, type InputIdentity } from '../state/checkpoint.js';
import { isUnknownFileId } from '../state/unknown-file-id.js';

/**
 * A completed job whose input's file is not the one its checkpoint recorded (a folder copied without its file times,
 * the input gzipped in place) is found to be the same job by reading the bytes it consumed again (same-input.ts): about
 * 3 s a GB, 11 s from gzip. "Already done" writes no file, so every later rerun paid that read again. Once those bytes
 * matched and the checkpoint was proven against the files (`sameBytes`, resume.ts), the checkpoint records the input's
 * file as it is now, as a resumed job's next checkpoint does: the next rerun knows it by its identity at once.
 *
 * Only the input's path, identity, device and inode change (atomically: atomic-write.ts), nothing the outcome depends
 * on. Not without the output's lock (such a run writes nothing: lockless-done.ts). A checkpoint the machine refuses to
 * replace changes nothing either: this run goes on with the one it has, and the next rerun reads the bytes again, as before.
 *
 * Not while an answer journal is there (a mend a budget or a kill stopped kept its answers in it): it is written for
 * the file the checkpoint names, and this run's mend rewrites it under the file as it is now only once it opens it,
 * after checking its list. A run killed or stopped in between left a checkpoint naming the new file beside a journal
 * of the old one, which the next rerun, knowing the file, dropped: every answer in it paid again. The completed job's
 * journal is removed with its mend (or by this rerun when there is nothing to mend): the rerun after that records it.
 */
export async function recordFoundInput(
  decision: { checkpoint: Checkpoint; sameBytes?: true },
  run: { checkpointPath: string; journalPath: string; input: { path: string; identity: InputIdentity; fileId?: InputFileId }; lockless: boolean; log: Logger },
): Promise<Checkpoint> {
  const read = withOwnFileId(decision.checkpoint, run.input);
  if (decision.sameBytes !== true || run.lockless) return read;
  if (journalMayBeThere(run.journalPath)) return read;
  const recorded: Checkpoint = { ...decision.checkpoint, input: run.input };
  try {
    await writeCheckpoint(run.checkpointPath, recorded);
  } catch (error) {
    run.log.info(`the checkpoint could not record the input's file as it is now (${errorMessage(error)}): the next rerun reads the bytes the job read again`);
    return read;
  }
  return recorded;
}

/**
 * A checkpoint whose device, inode and change time were invalid (read as unknown: state/unknown-file-id.ts), of the
 * input's identity, with the input's own in their place: the file this run found to be the job's input. Not written
 * here: a mend (or a mend stopped again) writes the checkpoint it read, and without them it wrote none, so every later
 * run knew the input by its identity alone (another export of that identity renamed over it taken for the job's).
 * The answer journal is keyed by the identity, not by these, so one there is unaffected.
 */
function withOwnFileId(checkpoint: Checkpoint, input: { identity: InputIdentity; fileId?: InputFileId }): Checkpoint {
  const { fileId } = input;
  if (!isUnknownFileId(checkpoint.input.fileId) || fileId === undefined || !sameIdentity(checkpoint.input.identity, input.identity)) return checkpoint;
  return { ...checkpoint, input: { ...checkpoint.input, fileId } };
}

/** A journal there, or one that cannot be told absent (its folder not searchable: the run meets that fault later). */
function journalMayBeThere(journalPath: string): boolean {
  try {
    return lstatSync(journalPath, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}
