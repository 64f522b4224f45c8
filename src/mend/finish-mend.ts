import { existsSync } from 'node:fs';
import type { Logger } from '../log.js';
import { renameOver } from '../state/atomic-write.js';
import { writeCheckpoint, type Checkpoint } from '../state/checkpoint.js';
import { checkpointPastLimit, doneWithJournal } from '../job/completed-job-files.js';
import type { Position } from '../job/pipeline.js';
import { failedRowsPathFor, promoteNext, writeFailedRows } from './failed-rows.js';

/**
 * What a mend replacing the output leaves when it is done: the output's new length, the rows its list holds, and
 * where its last record starts now (mended rows before it moved it; absent in checkpoints of older versions).
 */
export interface Mending {
  outputBytes: number;
  listedFailures: number;
  lastOutputStart?: number;
}

/**
 * The checkpoint's position once the mended copy is the output: its length, and where its last record starts (a
 * resume's proof reads that record: left as it was, it pointed into another row, or past the output's end).
 */
export function positionAfter<P extends Pick<Position, 'outputBytes' | 'lastOutputStart'>>(position: P, replaced: Mending | undefined): P {
  if (!replaced) return position;
  return { ...position, outputBytes: replaced.outputBytes, ...(replaced.lastOutputStart !== undefined ? { lastOutputStart: replaced.lastOutputStart } : {}) };
}

/**
 * Puts a complete mended copy in place of the output: renames `partialPath`
 * over it (unless that was done already: a run stopped after the rename), then
 * makes the list of failed rows the copy's (`.failed-rows.next`, written and
 * sealed to the copy before, is promoted; or no list when no row is left). Each
 * step can be done again after a crash at any instant of it.
 */
export async function replaceWithMended(outputPath: string, partialPath: string, listedFailures: number): Promise<void> {
  if (existsSync(partialPath)) await renameOver(partialPath, outputPath);
  const listPath = failedRowsPathFor(outputPath);
  if (listedFailures === 0) {
    await writeFailedRows(`${listPath}.next`, [], outputPath);
    await writeFailedRows(listPath, [], outputPath);
  } else if (existsSync(`${listPath}.next`)) {
    await promoteNext(listPath);
  }
}

/**
 * A run stopped (killed) while a mend replaced the output with its mended copy
 * (the checkpoint records `mending`): finishes the replacement and records it,
 * so the job is complete with its mended rows instead of started over for an
 * output whose length the checkpoint did not know yet. Returns the checkpoint
 * as it is now.
 */
export async function finishInterruptedMend(checkpoint: Checkpoint, paths: { outputPath: string; partialPath: string; checkpointPath: string }, log: Logger): Promise<Checkpoint> {
  const { mending } = checkpoint;
  if (mending === undefined) return checkpoint;
  await replaceWithMended(paths.outputPath, paths.partialPath, mending.listedFailures);
  const finished: Checkpoint = { ...checkpoint, position: positionAfter(checkpoint.position, mending), listedFailures: mending.listedFailures, updatedAt: new Date().toISOString() };
  delete finished.mending;
  await writeCheckpoint(paths.checkpointPath, finished);
  // The mend had all its answers: the journal it kept them in is done with, but for answers to rows past the --limit the
  // job completed at (completed-job-files.ts), kept as the mend finishing in its own run keeps them (completed-rerun.ts);
  // removed here, a later run with a higher limit or none paid for them again. A refusal to remove it is a warning.
  doneWithJournal(paths.outputPath, log, undefined, checkpointPastLimit(finished));
  log.info({ output: paths.outputPath }, 'an earlier run was stopped while it replaced the output with its mended copy: finished that');
  return finished;
}

