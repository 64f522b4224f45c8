import { rm } from 'node:fs/promises';
import type { RowResult } from '../job/dedupe.js';
import type { InputRecord, Outcome } from '../io/record.js';
import { ErrorGuard } from '../job/error-guard.js';
import type { JobLimits } from '../job/job-failures.js';
import type { Source } from '../job/source.js';
import type { StopController } from '../job/stop.js';
import type { Logger } from '../log.js';
import { SentimentBatchError } from '../errors.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { countMended, type FailureCounts } from '../state/failure-counts.js';
import type { JobLabels, LabelCounts } from '../state/label-counts.js';
import type { NumberOnlyRows } from '../scoring/number-only-text.js';
import type { Totals } from '../state/totals.js';
import { failedRowsPathFor, loadFailedRows, writeFailedRows, type FailedRow } from './failed-rows.js';
import { failingAgainCause } from './failing-again.js';
import { replaceWithMended, type Mending } from './finish-mend.js';
import { mendRows, type MendResult } from './mend.js';
import { MendRequests, ROW_FIGURES, saveRequestsEvery } from './mend-requests.js';
import { listRefused, refuseWrongCount, verifyFailedRowsList } from './verify-list.js';
import { typedPath } from '../wording/typed-path.js';
import { refuseSwappedFolder } from '../job/held-folder.js';

export interface MendJobOptions {
  outputPath: string;
  /** The output as the user gave it (`-o out.csv`): the refusals name the list and the checkpoint after it (wording/typed-path.ts). */
  typedOutput?: string | undefined;
  partialPath: string;
  source: Source;
  /**
   * The completed job's totals; updated in place when rows are mended, and by the requests sent when a mend stops or a
   * fault ends it: after a throw once scoring began they are the job's as its checkpoint keeps them, requests included.
   */
  totals: Totals;
  /**
   * This run's own figures: the scorer adds its requests, retries and tokens here;
   * the mend fills in its rows. Added to `totals` before they are saved.
   */
  runTotals: Totals;
  /** The completed job's failure counts (state/failure-counts.ts), updated in place with `totals`; undefined: not kept. */
  failureCounts?: FailureCounts | undefined;
  /** The whole output's counts per label (state/label-counts.ts), added to with `totals` when rows are mended. */
  labels?: JobLabels | undefined;
  /**
   * The scorer for the listed rows, made once there are rows to mend (`rows`: which ones, e.g. for the journal's answers),
   * before anything is said or sent: it throws for a run that may not write (job/lockless-done.ts).
   */
  scorerFor(rows: readonly FailedRow[]): (text: string, index: number) => RowResult | Promise<RowResult>;
  /** Each row written to the mended copy, with its new outcome (the copy replaces the output only if the mend completes). */
  onWritten?: (record: InputRecord, outcome: Outcome) => void;
  window: number;
  /** While it scores, the mend saves the requests it has sent this often (--checkpoint-interval; undefined: only as it ends). */
  checkpointIntervalMs?: number | undefined;
  /** The run's stop, and the grace its requests in flight get after it (mend.ts). */
  stop: StopController;
  graceMs: number;
  /** The limits the job is judged by (job-failures.ts): --max-error-rate also stops a mend whose rows fail again. */
  limits: JobLimits;
  /**
   * How many rows the list held when the output was sealed, as the checkpoint records it
   * (undefined: an older checkpoint that does not say). With 0 no list is written, so none is missing;
   * a list holding another number of rows was edited (a line deleted: its row would pass for a refused one).
   */
  listedFailures: number | undefined;
  /** Where the completed output's last record starts (the checkpoint's position.lastOutputStart). */
  lastOutputStart?: number | undefined;
  /**
   * Records `totals` in the checkpoint, and with `replaced` the output the mended copy made (its length, the rows its
   * list holds, where its last record starts: positionAfter); with `mending`, that the mended copy is about to replace
   * the output (Checkpoint.mending). With neither, the requests sent while the copy is written: the output's digest is
   * the one recorded before (savedDigestOf).
   */
  saveCompleted(replaced?: Mending, mending?: Mending): Promise<void>;
  /**
   * Throws when the input is no longer the file the run started on (job/input-unchanged.ts inputChangedInMend):
   * asked once the mended copy is complete, before anything records it, and when a list refused mid-mend may be the
   * input's change rather than the list's (that line said "it was edited or damaged … run with --restart").
   */
  checkInputUnchanged?(): Promise<void>;
  log: Logger;
}

export type MendJobResult =
  /**
   * No row to mend: the job is simply already done, unless the list of failed rows
   * is missing or was sealed to another output (`unlisted`), when rows that failed
   * transiently may be there but cannot be found (`changed`: how many the old list held).
   */
  | { kind: 'nothing'; unlisted?: 'missing' | { changed: number } }
  /**
   * Cut short by a stop: the output is unchanged and its `rows` listed rows are still to mend; the requests sent are saved
   * in the totals. `outage`: the stop was the rate of the rows it sent failing again, mostly transiently, or a request
   * budget spent on a service that looks down (its line).
   */
  | { kind: 'stopped'; rows: number; outage?: string }
  /** `cause`: why its rows failed again when known (answers not the model's, a service never reached), as a stop says it. */
  | { kind: 'mended'; mended: number; stillFailing: number; refused: number; cause?: string };

/**
 * The output digest a mend's saveCompleted(`replaced`, `mending`) records: 'kept', the one recorded before, for a save
 * with neither (the requests sent while the copy is written: the output is unchanged, and the copy half written, whose
 * digest, recorded, made the run after a kill -9 find the output changed and score the job afresh); else 'read', the
 * mended copy's (completedOutputSha256: the copy still to be renamed over the output, or the output once it is).
 * The rule for both mends' saves: a rerun's (completed-rerun.ts) and a resumed run's (mend-earlier-failures.ts).
 */
export function savedDigestOf(replaced: Mending | undefined, mending: Mending | undefined): 'read' | 'kept' {
  return replaced === undefined && mending === undefined ? 'kept' : 'read';
}

/**
 * A completed job run again: rows that failed transiently are scored again
 * and the output is replaced by the mended copy. Crash-safe at every step:
 * the copy is written beside the output and renamed over it; the new list of
 * failed rows is written first as `.failed-rows.next`, and whichever list
 * matches the output's bytes is the one a later run uses.
 */
export async function mendCompletedJob(given: MendJobOptions): Promise<MendJobResult> {
  // Every save by path only while the output's folder is the run's (held-folder.ts): stopped after the folder was
  // swapped, and before the lock's heartbeat noticed, the stop's checkpoint replaced another run's there (lowfix82).
  const options: MendJobOptions = {
    ...given,
    saveCompleted: async (replaced, mending) => {
      await refuseSwappedFolder(given.outputPath, given.typedOutput);
      await given.saveCompleted(replaced, mending);
    },
  };
  const { outputPath, log } = options;
  // The records a mend reads were all written, and their stray quotes named, by the runs before it: a rerun that mended
  // said "line 5: … marked failed (stray_quote)" again of a record it neither read first nor marked.
  options.source.quietStrayQuotes?.();
  const listPath = failedRowsPathFor(outputPath);
  // The file operations take the absolute paths; the refusals name them as `Done: out.csv` does (they said `/home/me/…/out.csv.failed-rows`).
  const shown = (file: string) => typedPath(file, options.typedOutput);
  const listShown = shown(listPath);
  const { rows, list } = await loadFailedRows(listPath, outputPath);
  if (typeof list === 'object') {
    // The output's length is proven (its checkpoint records it exactly): a seal naming another was edited, or the list is
    // another output's. Said "the output was changed after their list was written", exit 0, its rows never mended.
    if (list.sealedBytes !== list.outputBytes) throw listRefused(listShown, `is sealed to an output of ${list.sealedBytes} bytes, not to ${shown(outputPath)} (${list.outputBytes} bytes, as its checkpoint records)`);
    log.warn({ list: listPath }, 'the list of failed rows does not match the output (was it changed?): nothing is mended');
    return { kind: 'nothing', unlisted: list };
  }
  // No list because the run that sealed the output had no transient failure to list (its failed rows were refused): nothing is missing.
  if (list === 'missing') return options.listedFailures === 0 ? { kind: 'nothing' } : { kind: 'nothing', unlisted: 'missing' };
  // Emptied, or its seal gone: a list damaged, refused as docs/durability.md ("Failed rows are mended") and docs/exit-codes.md#exit-3 say, not taken for a deleted one (exit 0).
  if (list === 'empty' || list === 'unsealed') {
    if (options.listedFailures === 0) return { kind: 'nothing' };
    const listed = options.listedFailures === undefined ? '' : `, but the run that completed the output listed ${options.listedFailures} ${options.listedFailures === 1 ? 'row' : 'rows'}`;
    throw listRefused(listShown, `${list === 'empty' ? 'is empty' : 'has lost its seal (the first line, naming the output it belongs to)'}${listed}`);
  }
  // Before a request is sent or a byte written: the list's lines must be the rows the run wrote (throws, exit 3); a
  // sealed list with every row line deleted too (it was taken for a job whose failed rows were all refused).
  refuseWrongCount({ listPath: listShown, rows, listedFailures: options.listedFailures });
  checkDuplicateMarks(rows, options.totals, options.failureCounts, listShown);
  const checked = await verifyFailedRowsList({ listPath: listShown, outputPath, source: options.source, rows, listedFailures: options.listedFailures, signal: options.stop.waitingSignal }).catch(async (error: unknown) => {
    throw await inputChangedOr(options, error);
  });
  // Stopped while the list was checked: nothing was sent, nothing written; the checkpoint is as it was.
  if (checked === 'stopped') return { kind: 'stopped', rows: rows.length };
  // The list matches the output: fewer failed rows sent to the model than it lists is the checkpoint's count gone wrong.
  checkSentFailedCount(rows, options.failureCounts, shown(checkpointPathFor(outputPath)), listShown);
  if (rows.length === 0) return { kind: 'nothing' };

  // The scorer first: a run that may not write (no lock on the output) is refused there, before it says it scores them.
  const score = options.scorerFor(rows);
  log.info({ rows: rows.length }, 'the output holds rows that failed transiently: scoring just those again');
  const { totals, runTotals } = options;
  // The mend's rows alone (the job's counts are the verdict's at the end): --max-errors is the job's, not judged here.
  const guard = ErrorGuard.forMend(options.limits.maxErrorRate, options.limits.errorPlace, options.limits.names);
  const requests = new MendRequests(totals, runTotals);
  // Asked at each of those saves too: an input rewritten mid-mend stops the mend there (as a fault: nothing more is sent,
  // the requests in flight get --grace) rather than at its end, after every listed row was paid for (902 requests, the
  // input rewritten 20 s into a mend of 90 s against serve). Refused as below.
  let changedMidway: unknown;
  const watchInput = async (): Promise<void> => {
    if (changedMidway !== undefined || options.checkInputUnchanged === undefined) return;
    await options.checkInputUnchanged().catch((error: unknown) => {
      changedMidway = error;
      options.stop.fault(error);
    });
  };
  const saves = saveRequestsEvery(
    options.checkpointIntervalMs,
    requests,
    async () => {
      await options.saveCompleted();
      await watchInput();
    },
    log,
  );
  let result: MendResult;
  try {
    result = await mendRows({ ...options, rows, score, lastOutputStart: options.lastOutputStart, guard });
  } catch (error) {
    // A fault (a disk that filled up with the mended copy): the output is as it was, and the copy removed (mend.ts).
    await saves.stop();
    await keepRequestsOnly(options, requests, { ...totals }, options.failureCounts && { ...options.failureCounts }, { ...runTotals }, options.labels?.counts, options.labels?.numberOnly);
    throw await inputChangedOr(options, error);
  }
  await saves.stop();
  if (result.kind === 'stopped' && changedMidway !== undefined) {
    // Stopped for the input's change: the output is as it was (mend.ts removed the copy), the requests sent are kept.
    requests.carry();
    await options.saveCompleted().catch(() => undefined);
    throw changedMidway;
  }
  if (result.kind === 'stopped') {
    // The output is as it was, but the requests this run sent are paid for: the job's totals keep them.
    requests.carry();
    await options.saveCompleted();
    const reason = options.stop.reason;
    // A budget used up on a service that looks down (run-budget.ts) is the same outage, judged the same way.
    const outage = (guard.stoppedByOutage && reason?.kind === 'too_many_errors') || reason?.kind === 'outage' ? reason.error.message : undefined;
    return { kind: 'stopped', rows: rows.length, ...(outage !== undefined ? { outage } : {}) };
  }

  // The rows were read from the input as it is now: a file rewritten since the run began (at the same length: each row
  // where the list says) gave a copy mixing two exports. Refused before anything records the copy; the requests are kept.
  const changed = await options.checkInputUnchanged?.().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (changed !== undefined) {
    await rm(options.partialPath, { force: true }).catch(() => undefined);
    await keepRequestsOnly(options, requests, { ...totals }, options.failureCounts && { ...options.failureCounts }, { ...runTotals }, options.labels?.counts, options.labels?.numberOnly);
    throw changed;
  }
  // The copy is complete: the job's totals count its rows before the checkpoint that begins the replacement records them.
  const [totalsBefore, countsBefore, runBefore, labelsBefore, numberOnlyBefore] = [{ ...totals }, options.failureCounts && { ...options.failureCounts }, { ...runTotals }, options.labels?.counts, options.labels?.numberOnly];
  Object.assign(runTotals, {
    read: rows.length,
    scored: result.scored,
    failed: rows.length - result.scored,
    truncated: result.truncated,
    cached: result.cached,
    // "Duplicates saved" in this run's figures, as a run counts them. The job's totals keep counting each row once, as
    // it was written: a row listed as a duplicate ("dup") is among them already, and one that sent its own request then
    // stays among the rows sent to the model (failure-counts.ts, the list's marks: checkDuplicateMarks).
    duplicates: result.duplicates,
  });
  totals.scored += result.scored;
  totals.failed -= result.scored;
  options.labels?.add(result.labels);
  options.labels?.addNumberOnly(result.numberOnly);
  // Only the rows that had failed as rows sent to the model leave those failures (a duplicate's was its twin's).
  countMended(options.failureCounts, result.scored - result.scoredDuplicates);
  totals.truncated += result.truncated;
  totals.cached += result.cached;
  requests.carry();
  // The list of the rows still failing is sealed to the copy before it replaces the output. From the checkpoint recording
  // the replacement (`mending`) on, a run killed at any instant leaves files the next start finishes it from (finish-mend.ts).
  const mending: Mending = {
    outputBytes: result.outputBytes,
    listedFailures: result.stillFailed.length,
    ...(result.lastOutputStart !== undefined ? { lastOutputStart: result.lastOutputStart } : {}),
  };
  try {
    await writeFailedRows(`${listPath}.next`, result.stillFailed, options.partialPath);
    await options.saveCompleted(undefined, mending);
  } catch (error) {
    // Refused before the replacement began (a disk full to the last block: the checkpoint could not be written): the
    // output is as it was and stays so. The summary said 'rows 893: scored 893', the job's failed rows 0 and its
    // requests twice, while the output and the checkpoint held the rows failed, and left the mended copy (the output's
    // size) on the full disk. Now the copy goes, and only the requests are kept, as after a fault in the copy.
    await rm(options.partialPath, { force: true }).catch(() => undefined);
    await rm(`${listPath}.next`, { force: true }).catch(() => undefined);
    await keepRequestsOnly(options, requests, totalsBefore, countsBefore, runBefore, labelsBefore, numberOnlyBefore);
    throw error;
  }
  await replaceWithMended(outputPath, options.partialPath, mending.listedFailures);
  await options.saveCompleted(mending);
  log.info({ mended: result.scored, stillFailing: result.stillFailed.length, refused: result.refused }, 'mended the rows that had failed');
  // Judged as the output is (mended-summary.ts), the rows failing again get no stop to say why they did: said here.
  const again = new SentimentBatchError('too_many_errors', `${result.stillFailed.length} of ${rows.length} rows that had failed transiently failed again`);
  const explained = result.stillFailed.length > 0 ? guard.explainSent(again) : again;
  const cause = explained !== again ? explained.message : failingAgainCause(result, again);
  return { kind: 'mended', mended: result.scored, stillFailing: result.stillFailed.length, refused: result.refused, ...(cause !== undefined ? { cause } : {}) };
}

/**
 * A mend a fault ended before its copy could replace the output: the rows of the job's totals (and its failure counts
 * and counts per label) are put back as they were before it (`totals`, `counts`, `labels`: copies taken then), and
 * this run's rows too (`run`), and only the requests it sent are counted, as a stopped mend counts them. They are saved if the checkpoint can still be
 * written (the copy removed freed the space it took): else the next run's figures for the whole job would miss
 * requests that were paid for.
 */
async function keepRequestsOnly(options: MendJobOptions, requests: MendRequests, totals: Totals, counts: FailureCounts | undefined, run: Totals, labels: LabelCounts | undefined, numberOnly: NumberOnlyRows | undefined): Promise<void> {
  for (const key of ROW_FIGURES) {
    options.totals[key] = totals[key];
    options.runTotals[key] = run[key];
  }
  if (options.failureCounts && counts) Object.assign(options.failureCounts, counts);
  options.labels?.restore(labels, numberOnly);
  requests.carry();
  // Best effort: the fault is what the run reports; a checkpoint that cannot be written keeps the job as it was.
  await options.saveCompleted().catch(() => undefined);
}

/**
 * A list refused as not matching the input (verify-list.ts, mend.ts) when the input itself changed since the run began
 * (rows rewritten longer mid-mend): the input's change is what to say, not "the list was edited or damaged … run with
 * --restart". Any other error, or an input unchanged, is `error` as it was.
 */
async function inputChangedOr(options: MendJobOptions, error: unknown): Promise<unknown> {
  if (!(error instanceof SentimentBatchError) || error.code !== 'checkpoint' || options.checkInputUnchanged === undefined) return error;
  return await options.checkInputUnchanged().then(
    () => error,
    (changed: unknown) => changed,
  );
}

/**
 * A row's `"dup": true` decides whether its mend takes a failure off the rows sent to the model: the output cannot
 * show it, but the job's counts bound it. A mark added by hand would leave counts that no longer add up (the next
 * run found the checkpoint unusable and scored the whole input again), so such a list is refused (exit 3); a mark
 * removed is found as the checkpoint's count is, below the rows listed as sent (checkSentFailedCount).
 */
function checkDuplicateMarks(rows: readonly FailedRow[], totals: Totals, counts: FailureCounts | undefined, listPath: string): void {
  if (!counts) return;
  const duplicates = rows.filter((row) => row.duplicate === true).length;
  if (duplicates > totals.failed - counts.sentFailed - counts.unreadable) {
    throw listRefused(listPath, `marks ${duplicates} of its ${rows.length} rows as duplicates ("dup"), which the job's failure counts do not allow (${counts.sentFailed} failed rows were sent to the model)`);
  }
}

/**
 * More rows listed as sent to the model (not marked "dup") than the checkpoint counts as sent and failed. Checked once
 * the list is proven to be the rows the output holds: the count is what disagrees (lowered by hand, damaged), and the
 * line blamed the list's duplicate marks ("marks 0 of its 9 rows as duplicates"), sending the reader to a list that is right.
 */
function checkSentFailedCount(rows: readonly FailedRow[], counts: FailureCounts | undefined, checkpointShown: string, listShown: string): void {
  if (!counts) return;
  const sent = rows.filter((row) => row.duplicate !== true).length;
  if (sent <= counts.sentFailed) return;
  throw new SentimentBatchError(
    'checkpoint',
    `the checkpoint ${checkpointShown} counts ${counts.sentFailed} failed ${counts.sentFailed === 1 ? 'row' : 'rows'} sent to the model, but the list of failed rows ${listShown}, which matches the output, holds ${sent} not marked as duplicates ("dup"): ` +
      `the checkpoint's count was edited or damaged (or a "dup" mark removed from the list), so nothing was mended and the output is unchanged; run with --restart to score the input afresh`,
  );
}
