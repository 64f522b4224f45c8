import { ExitCode } from '../errors.js';
import type { InputRecord, Outcome } from '../io/record.js';
import { judgeJob, verdictSummary } from '../job/job-failures.js';
import type { SummaryOf } from '../job/run-context.js';
import { RunTally } from '../job/run-tally.js';
import { failedRowsOf, type Summary } from '../job/summary.js';
import { summaryWarnings } from '../job/summary-warning.js';
import { withNumberOnlyRows } from '../scoring/number-only-text.js';
import { emptyTotals, totalsPlus, type Totals } from '../state/totals.js';
import type { FailedRow } from './failed-rows.js';
import { mendCompletedJob, type MendJobOptions } from './mend-job.js';
import { mendedSummary, stoppedByOutageSummary } from './mended-summary.js';

export interface MendAfterResumeOptions extends Omit<MendJobOptions, 'runTotals' | 'onWritten' | 'scorerFor'> {
  /** The scorer for the mended rows, counting its requests into `runTotals`. */
  scorerFor(rows: readonly FailedRow[], runTotals: Totals): ReturnType<MendJobOptions['scorerFor']>;
  /** The run's summary with the job's totals as they are now (status, exit code, message). */
  summaryOf: SummaryOf;
  /** The summary of a mend cut short (a budget, a signal, a fatal answer): the stop's status and message. */
  stoppedSummary(): Summary;
  /**
   * The warning of rows not read as meant that the pass's summary would say without a mend (job/completed-pass-summary.ts
   * notReadAsMeant), judged on a done summary of the pass.
   */
  notReadAsMeant(done: Summary): string | undefined;
  /** What the resumed run wrote, before the mend (the mend adds its rows and requests to make "this run"). */
  resumedTotals: Totals;
  /** The first row the resumed run wrote: listed rows from it on are its own, already counted in `resumedTotals`. */
  firstIndex: number;
}

/**
 * A resumed run that completes its output, when rows failed transiently in an
 * earlier run (an outage stopped it, exit 5, "run the same command again"):
 * the rows in the list are mended right away, as a rerun of the completed job
 * would, so one rerun after the outage is enough. Rows this run itself left
 * failed transiently are in the same list and get one more try as well.
 * Returns the run's summary (`stopped`: the mend was cut short, the output left as it was): the rows it wrote resuming and
 * the earlier runs' rows it mended, each row once, and every request it sent.
 */
export async function mendAfterResume(options: MendAfterResumeOptions): Promise<{ summary: Summary; stopped: boolean }> {
  const { totals } = options;
  const runTotals = emptyTotals();
  const tally = new RunTally();
  // The rows this run wrote failed and now mends, by the code they were written with, and how many of them were
  // written as duplicates (their failure an earlier row's).
  const own: string[] = [];
  let ownDuplicates = 0;
  const mend = await mendCompletedJob({
    ...options,
    runTotals,
    scorerFor: (rows) => {
      for (const row of rows) {
        if (row.index < options.firstIndex) continue;
        own.push(row.code);
        if (row.duplicate === true) ownDuplicates += 1;
      }
      return options.scorerFor(rows, runTotals);
    },
    onWritten: (record: InputRecord, outcome: Outcome) => tally.written(record, outcome),
  });
  // A done summary ends with the warnings the run's would have without the mend (mended-summary.ts): its rows not read
  // as meant (a text field left out of most records, or renamed partway: the pass's figures tell), and the input's
  // language and letters, as start-up found them. It said only the first of those, the start-up check's.
  const warnings = { first: options.notReadAsMeant(options.summaryOf('done', ExitCode.Done, totals)), looks: options.source };
  // "This run": the rows written resuming, the rows of earlier runs it mended, and every request sent.
  const withRun = (summary: Summary): Summary => ({ ...summary, run: { ...summary.run, totals: totalsPlus(options.resumedTotals, runTotals) } });
  if (mend.kind === 'stopped') {
    // The output is complete and unchanged; its list still names the rows, for the next run. Stopped for its rows failing
    // again transiently, it is judged as the output is (mended-summary.ts).
    const limits = { ...options.limits, failureCounts: options.failureCounts };
    const stopped = mend.outage !== undefined ? stoppedByOutageSummary(mend.outage, totals, options.summaryOf, limits, warnings) : options.stoppedSummary();
    return { summary: { ...withRun(stopped), outputComplete: true, failedRows: failedRowsOf(totals, mend.rows) }, stopped: true };
  }
  if (mend.kind === 'nothing') {
    const verdict = verdictSummary(options.summaryOf, 'done', totals, judgeJob(totals, options.failureCounts, options.limits, 'the whole job'));
    const said = verdict.status === 'done' ? summaryWarnings(warnings.first, warnings.looks) : {};
    return { summary: { ...withRun(verdict), ...said, failedRows: failedRowsOf(totals, 0) }, stopped: false };
  }
  const summary = withRun(mendedSummary(totals, options.summaryOf, { ...options.limits, failureCounts: options.failureCounts }, mend.cause, warnings));
  // A row this run wrote failed and then mended is one row, counted by its outcome after the mend: it leaves the
  // failures it was written with (so "this run" never holds more rows than the input: 272 of 235 were seen).
  const runTotalsOnce = {
    ...summary.run.totals,
    read: summary.run.totals.read - own.length,
    failed: summary.run.totals.failed - own.length,
    duplicates: summary.run.totals.duplicates - ownDuplicates,
  };
  const failuresBefore = { ...summary.run.failuresByCode };
  for (const code of own) failuresBefore[code] = (failuresBefore[code] ?? 0) - 1;
  const { labels, failuresByCode, rateLimitedCodes, answeredEarlier, numberOnly } = tally.snapshot();
  // The pass's texts only a number and the mend's: this run's.
  const runNumberOnly = numberOnly ? withNumberOnlyRows(summary.run.numberOnly, numberOnly) : summary.run.numberOnly;
  const codes = [...new Set([...(summary.run.rateLimitedCodes ?? []), ...(rateLimitedCodes ?? [])])].sort();
  // Rows written with an earlier run's answers (RunTally counts them as written): the pass's and the mend's.
  const earlier = (summary.run.answeredEarlier ?? 0) + (answeredEarlier ?? 0);
  const run = {
    ...summary.run,
    totals: runTotalsOnce,
    labels: add(summary.run.labels, labels),
    failuresByCode: add(failuresBefore, failuresByCode),
    ...(codes.length > 0 ? { rateLimitedCodes: codes } : {}),
    ...(earlier > 0 ? { answeredEarlier: earlier } : {}),
    ...(runNumberOnly ? { numberOnly: runNumberOnly } : {}),
  };
  return { summary: { ...summary, run, mended: mend.mended, failedRows: failedRowsOf(totals, mend.stillFailing) }, stopped: false };
}

/** The counts of `a` and `b` added, without the codes that come to none. */
function add(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [key, count] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + count;
  for (const [key, count] of Object.entries(sum)) if (count <= 0) delete sum[key];
  return sum;
}
