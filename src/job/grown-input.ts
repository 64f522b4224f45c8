import { constants, existsSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { withPath } from '../machine-fault.js';
import { syncDirectory } from '../state/atomic-write.js';
import { hashSettings, writeCheckpoint, type Checkpoint } from '../state/checkpoint.js';
import { openExistingNoFollow } from '../state/no-follow.js';
import type { ProvenKind } from './prove-checkpoint.js';
import type { ResumeContext, StartDecision } from './resume.js';
import { limitReached } from './same-input.js';
import { typedPath } from '../wording/typed-path.js';

/**
 * A nightly export that grows: tonight's file is yesterday's, byte for byte up to where the completed job read, with
 * whole records appended. Scoring it afresh paid for every row again (only --cache kept that cost down); a paused job
 * already reads such rows as if they had been there from the start. A completed job is continued so too: its output
 * is copied to the partial output and its checkpoint becomes a paused one's at the same position, and the run resumes
 * it. The output is then a fresh run's of the new file (the rows before are the same bytes, scored the same way).
 *
 * Only when nothing else differs (same-input.ts `grown`): the consumed bytes are the same and end with a line ending,
 * or their last row, read at the end of its file without one, is ended by the next bytes (an exporter that writes no
 * line ending after its last row: that ending is read as the first line of the appended part, a blank line passed
 * through, and the proof holds the row to be the same record: prove-checkpoint.ts withoutEndingAt; any other byte may
 * continue the row, another record then; so too an LF after a last row read ending in a lone CR, a CRLF export cut
 * between the two), the settings are the same, no
 * --limit reached (same-input.ts limitReached) but on such a last row, now ended (continued for that line ending alone,
 * which a fresh run writes with the row; no row is scored), a mend half done (`mending`) finished first, and the output is as the checkpoint recorded it (proven as a partial output,
 * exactly as long). Not grown (or under other settings): undefined, the caller's start-over. Grown but not continued: the
 * reason why, for the start-over line (NotContinued).
 */
export async function grownStart(checkpoint: Checkpoint, ctx: ResumeContext): Promise<StartDecision | NotContinued | undefined> {
  if (!checkpoint.completed || checkpoint.settingsHash !== ctx.settingsHash) return undefined;
  if ((await ctx.match?.grown(checkpoint)) !== true) return undefined;
  const { inputOffset, nextIndex } = checkpoint.position;
  // Grown, but not continued: why, for the start-over line (resume.ts), which said "the input changed" of an input that
  // only grew (a mend half done, settings edited by hand, the output gone: each said "the input changed" and no more).
  const notContinued = (why: string, more?: Omit<NotContinued, 'notContinued'>): NotContinued => ({ notContinued: `the input goes on after the ${inputOffset} bytes the completed job read, but the job cannot be continued: ${why}`, ...more });
  if (hashSettings(checkpoint.settings) !== checkpoint.settingsHash) return notContinued(`the checkpoint ${typedPath(ctx.checkpointPath, ctx.typedOutput)} is unusable: its settings are not the ones its settingsHash was made from (edited by hand)`);
  // A mend stopped while its mended copy replaced the output: the file at the output's path may be either copy. Proven
  // as "already done" proves it (the copy whole, or renamed; its list sealed to it; its digest), the run finishes that
  // mend as it does for the same input (finish-mend.ts, each step done again after a kill at any instant), then decides
  // again from the completed checkpoint it leaves, which the grown export continues. Started over, every row was paid again.
  // Not borne out, it starts over keeping what answers of that copy read back as the job wrote them (kept-answers.ts droppedRows).
  if (checkpoint.mending !== undefined) {
    const unproven = await ctx.prove?.(checkpoint, 'grown-mending');
    if (unproven !== undefined) return notContinued(`its checkpoint records a mend of ${typedPath(ctx.outputPath, ctx.typedOutput)} not finished (the run mending it was stopped while its mended copy replaced it), and the files do not bear it out: ${unproven}`, { keepsAnswers: true });
    return { kind: 'resume', checkpoint, sameBytes: true, grown: 'mending' };
  }
  // No output at its path but the partial output: a first job killed before its rename (proven below).
  if (!existsSync(ctx.outputPath) && !existsSync(ctx.partialPath)) return notContinued(`neither its output ${typedPath(ctx.outputPath, ctx.typedOutput)} nor its partial output is there`, { expected: true });
  const problem = await ctx.prove?.(checkpoint, 'grown');
  // Killed between the checkpoint that completes it and the rename, then grown again: proven against the earlier output
  // alone, the job was scored afresh, every row the killed run answered paid again.
  const unrenamed = problem !== undefined && (await completeInPartial(checkpoint, ctx, 'grown-unrenamed'));
  if (problem !== undefined && !unrenamed) return notContinued(`the checkpoint does not match the files: ${problem}`);
  if (!ctx.withoutLock) {
    // A line ending alone after a last row that had none: said as rows appended, of a run that then scored none.
    const growth = limitReached(checkpoint)
      ? `with a line ending added after its last row, which it lacked; its ${nextIndex} rows are kept, none is scored (--limit ${checkpoint.settings.limit} reached), and the output gains the same line ending`
      : (await ctx.match?.onlyLineEnded(checkpoint)) === true
        ? `with only a line ending added after its last row (no rows appended); its ${nextIndex} rows are kept, none is scored, and the output gains the same line ending`
        : `with rows appended; its ${nextIndex} rows are kept and only the rows after them${upToLimit(checkpoint)} are scored`;
    ctx.log.info({ rowsDone: nextIndex, inputOffset }, `Continuing: the input is the completed job's ${inputOffset} bytes ${growth} (${typedPath(ctx.outputPath, ctx.typedOutput)} stays as it is until this run completes)`);
  }
  return { kind: 'resume', checkpoint, sameBytes: true, grown: unrenamed ? 'unrenamed' : true };
}

/**
 * Why a grown export is started over instead (the start-over line's reason); `expected`: said at info, as a completed job's
 * output gone is; `keepsAnswers`: the job's answers are read for the new one (a mend half done: its mended copy's), as a
 * start-over under other settings reads them. Without, the 80 rows a Workers AI job paid for were paid for again.
 */
export interface NotContinued {
  notContinued: string;
  expected?: true;
  keepsAnswers?: true;
}

/** A --limit job completed short of its limit is continued up to it, not through the rows appended. */
function upToLimit(checkpoint: Checkpoint): string {
  const { limit } = checkpoint.settings;
  return limit === undefined ? '' : `, up to --limit ${limit},`;
}

/**
 * Killed between the checkpoint that completes a job and its rename, when an earlier output is at the output's path (a
 * new export started over, a grown one continued): the output there is the earlier one, and the complete one is the
 * partial output. Whether it is, proven as `kind` ('finish-rename' for the same input, 'grown-unrenamed' for one that
 * grew since); resume.ts asks it when the proof against the output fails.
 */
export async function completeInPartial(checkpoint: Checkpoint, ctx: Pick<ResumeContext, 'partialPath' | 'prove'>, kind: ProvenKind): Promise<boolean> {
  return existsSync(ctx.partialPath) && (await ctx.prove?.(checkpoint, kind)) === undefined;
}

/**
 * Makes the completed job a paused one at the same position, so that the run resumes it: a copy of the output becomes
 * the partial output (temp file, fsync, rename), then the checkpoint says paused. The output itself is not touched
 * until the finished partial output is renamed over it, so a kill at any instant leaves it complete: before the
 * checkpoint is replaced, the next run finds the completed job grown again (a leftover temp copy is removed when it
 * takes the lock: take-output-lock.ts); after, it resumes a paused job whose answers the journal kept.
 */
export async function pauseGrownJob(checkpoint: Checkpoint, paths: { outputPath: string; partialPath: string; checkpointPath: string }, grown: true | 'unrenamed' = true): Promise<Checkpoint> {
  const { outputPath, partialPath, checkpointPath } = paths;
  // Its partial output is the complete one already (grownStart proved it): nothing to copy.
  if (grown === true) await copyToPartial(outputPath, partialPath).catch((error: unknown) => Promise.reject(markNotYetContinued(error)));
  // The digest of its output is made again by the run that completes it. Its note of a text field renamed partway is
  // kept: the continuing run reads only the rows appended, and adds what it finds there (run-pass.ts); dropped, the
  // continued job's "already done" rerun no longer warned of the 1,000 rows of the old part skipped for it.
  const { mending: _none, outputSha256: _completedOutput, ...kept } = checkpoint;
  const paused: Checkpoint = { ...kept, completed: false, updatedAt: new Date().toISOString() };
  await writeCheckpoint(checkpointPath, paused).catch((error: unknown) => Promise.reject(markNotYetContinued(error)));
  return paused;
}

/**
 * A fault before the checkpoint says paused (the copy, that checkpoint) leaves the completed one: its line said what a
 * completed job's rerun does, 'every row is written: it only completes the output, scoring nothing again', of a run that
 * had scored none of the rows appended. The mark rides along with the error (commands/fault-advice.ts reads it).
 */
const NOT_YET_CONTINUED = new WeakSet<object>();

function markNotYetContinued(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) NOT_YET_CONTINUED.add(error);
  return error;
}

/** Whether `error` stopped a run before the grown job it continues was made a paused one (pauseGrownJob). */
export function stoppedBeforeContinuing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && NOT_YET_CONTINUED.has(error);
}

/** The output copied to the partial output: a temp file, fsync, rename, the folder synced. */
async function copyToPartial(outputPath: string, partialPath: string): Promise<void> {
  const temp = `${partialPath}.tmp-${process.pid}`;
  try {
    await rm(temp, { force: true });
    // Exclusive: never written through a symlink planted at the temp path.
    await copyFile(outputPath, temp, constants.COPYFILE_EXCL);
    const handle = await openExistingNoFollow(temp, 'read-write');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, partialPath);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw withPath(error, partialPath);
  }
  await syncDirectory(path.dirname(partialPath));
}
