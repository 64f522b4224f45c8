import { stat } from 'node:fs/promises';
import { ExitCode } from '../errors.js';
import { oneShotOf, stdinToFile } from '../io/format.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import type { FailedRowsLog } from '../mend/failed-rows.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';
import { completeOutput } from './complete-output.js';
import { pastLimitOf } from './completed-job-files.js';
import { completedPassSummary } from './completed-pass-summary.js';
import type { ConsumedInput } from './consumed-input.js';
import type { Dedupe } from './dedupe.js';
import type { ErrorGuard } from './error-guard.js';
import { refuseChangedInput, type WatchedInput } from './input-unchanged.js';
import type { JobCheckpoint } from './job-checkpoint.js';
import type { JobLimits } from './job-failures.js';
import type { KeptAnswers } from './kept-answers.js';
import { mendEarlierFailures } from './mend-earlier-failures.js';
import type { RecordSink } from './open-output.js';
import { lookAgainOnFailure } from './removed-partial.js';
import type { PipelineEnd } from './pipeline.js';
import type { ReadThrough } from './read-through.js';
import type { RunContext } from './run-context.js';
import { consumedBytesMatch, readPartUnchanged } from './same-input.js';
import { removeRowlessPartial } from './stdin-partial-line.js';
import { stoppedSummary } from './stopped-summary.js';
import { failedRowsOf, type Summary } from './summary.js';

/** What a pass through the records (run-pass.ts) leaves for its end. */
export interface FinishedPass {
  end: PipelineEnd;
  file: RecordSink;
  input: WatchedInput;
  toStdout: boolean;
  journal: AnswerJournal | undefined;
  failedRows: FailedRowsLog | undefined;
  consumed: ConsumedInput | undefined;
  inherited: KeptAnswers | undefined;
  checkRemovedPartial(): Promise<void>;
  saveCheckpoint: JobCheckpoint['save'];
  totals: Totals;
  /** The job's totals when this run began writing. */
  startTotals: Totals;
  /** The first row this run wrote. */
  firstIndex: number;
  /** The pass's answers, which a mend after it takes rather than sending those texts again. */
  freshAnswers: Dedupe;
  failureCounts: FailureCounts | undefined;
  guard: ErrorGuard;
  limits: JobLimits;
  /** The whole input was read through and found readable before the first request (read-through.ts). */
  inputReadable: boolean;
  readThrough: ReadThrough;
  /** A stop's or a fault's figures: the last checkpoint's, and the rows read past it (saved-figures.ts). */
  asSavedNow(summary: Summary, journal?: AnswerJournal): Summary;
}

/** The end of a pass: the output completed (and earlier failures mended), or the stop's checkpoint and summary. */
export async function endPass(ctx: RunContext, pass: FinishedPass): Promise<Summary> {
  return pass.end.complete ? await completedEnd(ctx, pass) : await stoppedEnd(ctx, pass);
}

/** Every record was written: the output is sealed and renamed, then the summary, or the mend of an earlier run's failures. */
async function completedEnd(ctx: RunContext, pass: FinishedPass): Promise<Summary> {
  const { settings, log, stop, source, output, partialPath, summaryOf } = ctx;
  const { end, file, toStdout, journal, failedRows, totals, guard, saveCheckpoint } = pass;
  // Rows an earlier run left failed transiently are mended after the output is complete (below): the journal stays for it.
  const mendMayFollow = failedRows !== undefined && failedRows.carried > 0;
  stop.sealing = true;
  await completeOutput({
    file,
    position: end.position,
    input: pass.input,
    output: toStdout ? undefined : output,
    partialPath,
    journal,
    keepJournal: mendMayFollow,
    failedRows,
    consumed: pass.consumed,
    inherited: pass.inherited,
    leavesKeptAnswers: ctx.leavesKeptAnswers,
    pastLimit: toStdout ? undefined : pastLimitOf(settings.limit, end.position.nextIndex, ctx.journalKey),
    log,
    lastRowEnded: end.lastRowEnded,
    readPartUnchanged: readPartCheck(ctx, pass),
    checkRemovedPartial: pass.checkRemovedPartial,
    saveCheckpoint,
    figures: () => summaryOf('failed', ExitCode.MachineFault, totals),
  }).finally(() => (stop.sealing = false));
  // The output is complete either way (a rerun mends its transient failures), but a job whose rows failed over the limit is no success.
  const failedRowsList = failedRows ? { failedRows: failedRowsOf(totals, failedRows.count) } : {};
  // Rows an earlier run left failed transiently (an outage stopped it: exit 5, "run the same command again") are mended now, so one
  // rerun is enough; not when this run's own rows failed over the limit (the outage goes on: they would fail again).
  if (!failedRows || failedRows.carried === 0 || stop.reason || guard.final()) {
    // No mend after all (the outage goes on, or a stop): the journal kept for it stays, holding only the answers earlier
    // runs received for listed rows (a killed mend's), for the next run's mend to replay (completed-rerun.ts), which
    // removes it. Removed here, the next run paid for each of them again.
    return completedPassSummary({ settings, source, guard, totals, resumedFrom: pass.startTotals, summaryOf, outputComplete: !toStdout, failedRowsList });
  }
  return await mendEarlierFailures(ctx, {
    totals,
    resumedFrom: pass.startTotals,
    firstIndex: pass.firstIndex,
    freshAnswers: pass.freshAnswers,
    listedFailures: failedRows.count,
    position: end.position,
    // The bytes the job read, as the checkpoint that completed the output records them (it stopped taking more).
    consumed: pass.consumed?.at(end.position.inputOffset),
    failureCounts: pass.failureCounts,
    limits: pass.limits,
    saveCheckpoint,
  });
}

/**
 * A pass that reached its --limit needs only the bytes it read unchanged (same-input.ts readPartUnchanged); one that
 * read to the input's end needs the whole file to be the bytes it read, no more, at its size at the start. Asked only once the file's size,
 * time, head and tail said "changed": a file touched, or the same bytes copied over it in place (`cp same.csv in.csv`),
 * was refused, exit 3 after every row was paid for, and the next run read it all again only to find it done (fuzz29).
 */
function readPartCheck(ctx: RunContext, pass: FinishedPass): (() => Promise<boolean>) | undefined {
  const { limit } = ctx.settings;
  const { position } = pass.end;
  const segments = pass.consumed?.at(position.inputOffset);
  if (segments === undefined || segments.length === 0) return undefined;
  const { path } = pass.input;
  // Its size as at the start too: rows appended while it was read to the end are a writer still at work, whose last row
  // may be cut where the reader met the end (refused, as before: the next run continues from the checkpoint).
  const sameBytes = async (): Promise<boolean> => (await stat(path)).size === pass.input.identity.size && (await consumedBytesMatch(path, ctx.source.compressed, segments, true));
  if (limit === undefined || position.nextIndex < limit) return sameBytes;
  return () => readPartUnchanged(path, ctx.source.compressed, segments, ctx.source.format);
}

/** The pass stopped short (a stop, a read error, the input changed): checkpointed where it ended, then said. */
async function stoppedEnd(ctx: RunContext, pass: FinishedPass): Promise<Summary> {
  const { stop, summaryOf } = ctx;
  const { end, journal } = pass;
  // Checked as before every checkpoint (records-pass.ts): saved by path, the stop's checkpoint went into the folder there
  // now, over the checkpoint of another run whose lock is in it (the folder swapped under this run: review73).
  await pass.checkRemovedPartial().catch(async (error: unknown) => {
    await pass.file.close().catch(() => undefined);
    journal?.close();
    throw error;
  });
  // And again if the save fails: the folder swapped during it (removed-partial.ts lookAgainOnFailure).
  await lookAgainOnFailure(() => pass.saveCheckpoint(end.position, false, pass.failedRows?.count), pass.checkRemovedPartial);
  await pass.file.close();
  journal?.close();
  if (stdinToFile(ctx.settings)) await removeRowlessPartial(ctx.partialPath, pass.totals.read, ctx.log);
  // The input changed under its last row, which had no line feed: left out, the rows before it checkpointed above.
  if (end.inputChanged !== undefined) throw end.inputChanged;
  if (end.readError !== undefined) {
    // A file cut short while it was read looks like a broken record (an unterminated quote): say what happened.
    await refuseChangedInput(pass.input);
    throw end.readError;
  }
  // Rows failing over the limit may be what a corrupt input reads as before its reader finds it so (a gzip file with
  // bytes flipped: ragged rows, then its CRC check at the end): an input that cannot be read is that, exit 3.
  if (stop.reason?.kind === 'too_many_errors' && !pass.inputReadable) {
    await pass.readThrough('reading the input through: rows failed over the limit, and an input that cannot be read is what to say first', new AbortController().signal);
  }
  // The checkpoint above holds every row counted; answers the journal refused (a full disk) are said apart.
  return pass.asSavedNow(stoppedSummary(stop, pass.totals, summaryOf, oneShotOf(ctx.settings)), journal);
}
