import { mendFailureExitCode, OutputKeptError } from '../errors.js';
import type { AnswerJournal } from '../journal/answer-journal.js';
import { positionAfter, type Mending } from '../mend/finish-mend.js';
import { mendCompletedJob, savedDigestOf } from '../mend/mend-job.js';
import { mendedSummary, stoppedByOutageSummary } from '../mend/mended-summary.js';
import { writeCheckpoint, type Checkpoint } from '../state/checkpoint.js';
import { completedOutputSha256 } from '../state/output-digest.js';
import { emptyTotals, type Totals } from '../state/totals.js';
import { textNamed } from '../config/setting-names.js';
import { headerOnlyRerunWarning } from './header-only-warning.js';
import { mendInputCheck } from './mend-input-check.js';
import { renamedWords } from './renamed-text-field.js';
import { jobLimitsOf, judgeJob, verdictSummary } from './job-failures.js';
import { checkpointPastLimit, doneWithJournal, removeCompletedJobFiles, removeLeftoverAnswers } from './completed-job-files.js';
import type { RunContext } from './run-context.js';
import { withRunFigures } from './run-figures.js';
import { RunTally } from './run-tally.js';
import { stoppedSummary } from './stopped-summary.js';
import { summaryWarnings } from './summary-warning.js';
import { failedRowsOf, unmendedRowsOf, type Summary } from './summary.js';
import type { NumberOnlyRows } from '../scoring/number-only-text.js';

/**
 * A rerun of a job whose output is complete: the rows its failed-rows list
 * holds are scored again and mended into the output; with nothing to mend it
 * is "already done" and touches no file (the checkpoint of a copied input was
 * updated before: record-found-input.ts). Either way the job's verdict is given
 * again (job-failures.ts): exit 5 when its rows failed over the limits.
 */
export async function rerunCompletedJob(ctx: RunContext, checkpoint: Checkpoint): Promise<Summary> {
  const { settings, log, stop, lockless, output, summaryOf } = ctx;
  // Whatever this rerun does, the output at its path stays complete (a mend renames its copy over it).
  stop.outputComplete = true;
  // Until the mend makes its scorer, a signal finds nothing sent, in flight or to save (signal-line.ts).
  stop.checkingCompleted = true;
  const totals = { ...checkpoint.totals };
  // Updated with `totals` when rows are mended; absent in checkpoints of older versions.
  const failureCounts = checkpoint.failureCounts && { ...checkpoint.failureCounts };
  // The whole output's counts per label, which the summary gives (an "already done" rerun's too), added to by a mend.
  const labels = ctx.labels;
  labels.startFrom(checkpoint);
  // Its blank rows, which the summary says again (a mend scores none of them: they were skipped, not failed).
  ctx.blankRows.startFrom(checkpoint);
  // The verdict on the job is this command's: a raised --max-error-rate may accept an output an earlier run failed.
  const limits = jobLimitsOf(settings, ctx.source.format);
  // What this run does: the rows it mends, its requests and tokens (the summary's "this run").
  const runTotals = emptyTotals();
  // The mended rows' labels and failure codes, told only if the mended copy replaces the output.
  const mendTally = new RunTally();
  // Opened only when there is something to mend: "already done" touches no file.
  let journal: AnswerJournal | undefined;
  /** The mend has begun scoring (past the write check): a fault from here keeps the figures (the requests it paid). */
  let scoring = false;
  /** The rows the mend sends again, and once the checkpoint records that its copy replaces the output, what it leaves. */
  let listed = 0;
  let listedRows: ReadonlySet<number> = new Set();
  let recorded: Mending | undefined;
  const mend = await mendCompletedJob({
    outputPath: output,
    typedOutput: settings.output,
    partialPath: ctx.partialPath,
    source: ctx.source,
    totals,
    runTotals,
    failureCounts,
    labels,
    scorerFor: (rows) => {
      // Asked for before the mend says it scores them, sends a request or writes anything: refused here without the lock.
      lockless?.refuseWrite(true, { mends: rows.length });
      // So is a --cache the machine refused at the start (run-cache.ts): the mend would read and write it.
      ctx.cacheFault.throwIfKept();
      stop.checkingCompleted = false;
      const indexes = new Set(rows.map((row) => row.index));
      listed = rows.length;
      listedRows = indexes;
      const rowScorer = ctx.rowScorerFor(runTotals, (journal = ctx.openJournal((index) => indexes.has(index))));
      scoring = true;
      return (text, index) => rowScorer.score(text, index);
    },
    onWritten: (record, outcome) => mendTally.written(record, outcome),
    window: ctx.readAhead,
    checkpointIntervalMs: settings.checkpointIntervalMs,
    stop,
    graceMs: settings.graceMs,
    limits,
    listedFailures: checkpoint.listedFailures,
    lastOutputStart: checkpoint.position.lastOutputStart,
    saveCompleted: async (replaced, mending) => {
      const listedFailures = replaced ? replaced.listedFailures : checkpoint.listedFailures;
      const counts = labels.counts;
      // The mended output's digest (its copy, or the output once the copy replaced it): the earlier one is no longer its
      // bytes, and a grown export continues only an output that is (grown-input.ts). Unreadable: none, scored afresh then.
      // Saves while the copy is written keep the earlier digest (savedDigestOf).
      const { outputSha256: earlier, ...unmended } = checkpoint;
      const outputSha256 = savedDigestOf(replaced, mending) === 'read' ? await completedOutputSha256({ outputPath: output, partialPath: ctx.partialPath }).catch(() => undefined) : earlier;
      await writeCheckpoint(ctx.checkpointPath, {
        ...unmended,
        ...(outputSha256 !== undefined ? { outputSha256 } : {}),
        position: positionAfter(checkpoint.position, replaced),
        totals,
        ...(listedFailures !== undefined ? { listedFailures } : {}),
        ...(failureCounts ? { failureCounts } : {}),
        ...(counts ? { labels: counts } : {}),
        // Its rows only a number, with the mended ones once the totals count them (mend-job.ts adds them with the labels).
        ...numberOnlyField(labels.numberOnly),
        mending,
        updatedAt: new Date().toISOString(),
      });
      recorded = replaced ?? mending;
    },
    // Rows appended after the part the job read leave the mend to complete (mend-input-check.ts); the next run scores them.
    checkInputUnchanged: mendInputCheck(ctx.input, { segments: checkpoint.consumed, gzip: ctx.source.compressed, format: ctx.source.format }, log),
    log,
  }).catch((error: unknown) => {
    journal?.close();
    // A fault mid-mend (a disk that fills up with the mended copy) keeps what the run reached, as a stopped mend does:
    // the output complete, the requests sent in the job's totals and this run's (run-figures.ts). The mend has put
    // them in `totals` (mend-job.ts); with the rows mended only if the checkpoint records the copy replacing the
    // output (`recorded`: the next run finishes that replacement), else the output is unchanged and so are its rows.
    if (scoring) {
      // The input changed under it (input-unchanged.ts), exit 3: its summary's line on the rows left failed says so (summary.ts).
      const figures = summaryOf('failed', mendFailureExitCode(error), { ...totals });
      const written = recorded ? mendTally.snapshot() : {};
      const failedRows = failedRowsOf(totals, recorded ? recorded.listedFailures : listed);
      withRunFigures(error, { ...figures, outputComplete: true, run: { ...figures.run, ...written, totals: { ...runTotals } }, failedRows });
    }
    // A mended copy is renamed over the output whole, or not at all (a replacement cut short is finished by the next run).
    throw new OutputKeptError(error);
  });
  // The warning a rerun repeats of the rows not read as meant (a header-only export, every row skipped, a text field left
  // out or renamed partway, as the completed checkpoint noted it), judged on `done`, the job's totals as they now stand.
  const renamed = (done: Totals) => checkpoint.renamedTextField && renamedWords(checkpoint.renamedTextField, { text: settings.text ?? [ctx.source.text], named: textNamed(settings, true), read: done.read, earlier: true });
  const notAsMeant = (done: Totals) => headerOnlyRerunWarning({ ...done, blankRows: checkpoint.blankRows }, limits.errorPlace, ctx.source.format === 'jsonl') ?? ctx.source.leftOutWarning ?? renamed(done);
  if (mend.kind === 'stopped') {
    // The answers it received are kept in the journal (its rows only): the next run writes them without a request.
    const kept = journal?.keptAmong(listedRows) ?? 0;
    journal?.close();
    // The output is complete and unchanged (no .partial to point at); the requests sent are already in `totals`. Stopped
    // for its rows failing again transiently, it is judged as the output is (mended-summary.ts).
    const stopped = mend.outage !== undefined ? stoppedByOutageSummary(mend.outage, totals, summaryOf, { ...limits, failureCounts }, { first: notAsMeant(totals), looks: ctx.source }) : stoppedSummary(stop, totals, summaryOf);
    return { ...stopped, outputComplete: true, run: { ...stopped.run, totals: runTotals }, failedRows: { ...failedRowsOf(totals, mend.rows), ...(kept > 0 ? { kept } : {}) } };
  }
  if (mend.kind === 'mended') {
    // The mended copy has replaced the output: a refusal removing the journal or the store is a warning (completed-job-files.ts).
    // Not removeCompletedJobFiles: a mend by a local backend has no journal of its own and leaves a leftover journal
    // file to the next "already done" (below).
    // The answers to rows past the --limit the job reached stay (completed-job-files.ts PastLimit).
    const pastLimit = checkpointPastLimit(checkpoint);
    if (journal) doneWithJournal(output, log, journal, pastLimit);
    removeLeftoverAnswers(output, log, ctx.leavesKeptAnswers || pastLimit !== undefined);
    const summary = mendedSummary(totals, summaryOf, { ...limits, failureCounts }, mend.cause, { first: notAsMeant(totals), looks: ctx.source });
    const { labels, failuresByCode, skippedByCode, rateLimitedCodes, answeredEarlier, numberOnly } = mendTally.snapshot();
    const { rateLimitedCodes: _codes, answeredEarlier: _earlier, numberOnly: _none, ...runBefore } = summary.run;
    const written = { labels, failuresByCode, skippedByCode, ...(rateLimitedCodes ? { rateLimitedCodes } : {}), ...(answeredEarlier ? { answeredEarlier } : {}), ...(numberOnly ? { numberOnly } : {}) };
    return { ...summary, run: { ...runBefore, ...written, totals: runTotals }, mended: mend.mended, failedRows: failedRowsOf(totals, mend.stillFailing) };
  }
  // A run killed once the job was complete, before it removed the answer journal, left it behind: no row needs its answers now.
  // So did one killed before it removed the answers it inherited (kept-answers.ts): none is read for a complete output.
  // A refusal to remove either costs disk, not the output: a warning each, in the words of the run that completes an
  // output (removeCompletedJobFiles, holding no journal: the file at its path). Without the lock nothing is removed
  // (a read-only folder: "already done" needs no write, so it makes none).
  // Those to rows past the --limit the job reached stay (completed-job-files.ts PastLimit).
  if (!lockless) removeCompletedJobFiles(output, log, undefined, ctx.leavesKeptAnswers, checkpointPastLimit(checkpoint));
  log.info({ output }, `already done: this input was scored completely before; nothing to do${lockless ? ` (${lockless.why}, so no lock was taken: none is needed to write nothing)` : ''}`);
  // Nothing to do, but an output whose rows failed over the limits is no success however often it is asked for: exit 5 again.
  const tripped = judgeJob(checkpoint.totals, checkpoint.failureCounts, limits, 'the whole job');
  // A header-only export, or one whose every row was skipped, is warned of again: the operator may read only this run's output (header-only-warning.ts).
  // So is a text field left out of most records while another holds text (left-out-warning.ts): the output is still the first run's.
  // And a text field renamed partway (renamed-text-field.ts), as the completed checkpoint noted it.
  // Reviews in another language and in a font generator's letters after it, each as the run said it (summary-warning.ts).
  const warnings = tripped ? {} : summaryWarnings(notAsMeant(checkpoint.totals), ctx.source);
  return { ...verdictSummary(summaryOf, 'already-done', checkpoint.totals, tripped), failedRows: unmendedRowsOf(checkpoint.totals, mend.unlisted), ...warnings };
}

/** The checkpoint's count of texts only a number, `{ rows: 0 }` included; none when unknown (an older checkpoint's). */
function numberOnlyField(rows: NumberOnlyRows | undefined): Pick<Checkpoint, 'numberOnly'> {
  return rows ? { numberOnly: rows } : {};
}
