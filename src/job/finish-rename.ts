import { rename } from 'node:fs/promises';
import path from 'node:path';
import { OutputKeptError } from '../errors.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { judgeJob, verdictSummary, type JobLimits } from './job-failures.js';
import { checkpointPastLimit, removeCompletedJobFiles, removeLeftoverAnswers } from './completed-job-files.js';
import type { RunContext } from './run-context.js';
import { failedRowsOf, type Summary } from './summary.js';
import { syncDirectory } from '../state/atomic-write.js';
import { keepModeOf } from '../state/kept-mode.js';

/**
 * A job completed, its process killed between the checkpoint that says so and the rename of the partial output: the
 * rename is finished, and the files the completed job no longer needs (its journal, the answers it inherited) go; the
 * journal stays while rows are listed to mend.
 */
export async function finishRename(ctx: Pick<RunContext, 'output' | 'partialPath' | 'summaryOf' | 'labels' | 'blankRows' | 'log' | 'leavesKeptAnswers'>, checkpoint: Checkpoint, limits: JobLimits): Promise<Summary> {
  const { output, partialPath, summaryOf, log } = ctx;
  // The summary's counts per label and of blank rows are the checkpoint's, as the run that completed the output had them.
  ctx.labels.startFrom(checkpoint);
  ctx.blankRows.startFrom(checkpoint);
  await keepModeOf(output, partialPath);
  await rename(partialPath, output);
  try {
    // A folder's fsync refused (EIO) does not undo the rename: the output is complete, and the failure says so.
    await syncDirectory(path.dirname(output));
  } catch (error) {
    throw new OutputKeptError(error);
  }
  const { totals: jobTotals, failureCounts, listedFailures = 0 } = checkpoint;
  // Rows left listed are mended by the next run (completed-rerun.ts), which replays the journal and then removes it: it
  // may hold the answers of a mend killed before the run that completed the output, kept for that mend (run-end.ts
  // keepJournal). Removed here, that mend paid for each of them again (65 of 66 listed rows: 101 requests where 36 were owed).
  if (listedFailures > 0) removeLeftoverAnswers(output, log, ctx.leavesKeptAnswers || checkpointPastLimit(checkpoint) !== undefined);
  else removeCompletedJobFiles(output, log, undefined, ctx.leavesKeptAnswers, checkpointPastLimit(checkpoint));
  // As the run that completed the output would have said: how many rows failed, and whether a rerun re-scores them.
  return { ...verdictSummary(summaryOf, 'done', jobTotals, judgeJob(jobTotals, failureCounts, limits, 'the whole job')), failedRows: failedRowsOf(jobTotals, listedFailures) };
}
