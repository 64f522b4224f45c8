import { judgeJob, verdictSummary, type JobLimits } from '../job/job-failures.js';
import type { SummaryOf } from '../job/run-context.js';
import type { SummaryLooks } from '../job/source.js';
import type { Summary } from '../job/summary.js';
import { summaryWarnings } from '../job/summary-warning.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';

/**
 * The summary of a mend that ran, before its run figures are added: the verdict on the whole job, its mended rows now
 * scored (job-failures.ts), done or failed (exit 5, the output complete). A rerun of a completed job and a resumed run
 * that mends after completing judge the same way.
 *
 * Not judged on the mend's rows alone. Until 2026-12-05 a mend was exit 5 when more of the rows it tried failed
 * transiently again than --max-error-rate: a 500-row job with 50 rows failed in an outage (exit 0, those rows listed),
 * run again while the outage went on, ended exit 5 ("50 of 50 rows that had failed transiently failed again") for an
 * output no worse than the one exit 0 was given for, and alerted every night of a long outage that the first night had
 * not. The same output gets the same verdict from every run (job-failures.ts): the limits say what an operator is
 * alerted for, and the rows still failing are said on the summary's lines (mended, still failed, run again).
 */
export function mendedSummary(
  totals: Totals,
  summaryOf: SummaryOf,
  limits: JobLimits & { failureCounts: FailureCounts | undefined },
  cause: string | undefined,
  warnings: MendWarnings,
): Summary {
  const verdict = verdictSummary(summaryOf, 'done', totals, judgeJob(totals, limits.failureCounts, limits, 'the whole job'));
  // Why its rows failed again, when known (every one answered by a proxy's page, or never reaching the service): the
  // summary's warning, as a stop's line would be. Without it a mend whose 40 rows all got an HTML page ended exit 0
  // saying only "run the same command again", which changes nothing while something else answers at the base URL.
  // Done, the warnings the run's summary and its "already done" rerun's end with follow it (summary-warning.ts).
  if (verdict.status === 'done') return { ...verdict, ...summaryWarnings([cause, warnings.first], warnings.looks) };
  return cause !== undefined && verdict.warning === undefined ? { ...verdict, warning: cause } : verdict;
}

/**
 * The warnings a done mend's summary repeats after its own line, as the summaries of the run that wrote the output and
 * of its "already done" rerun end (summary-warning.ts): the rows not read as meant (`first`, when one applies), and
 * a formula's errors, Qualtrics' header rows, reviews in another language and in a font generator's letters, which the
 * start-up check found in the input (`looks`).
 * A mend's summary said none of them: the rerun that mended 4 rows of a German export gave no word of its language,
 * between a run and an "already done" rerun that both warned. A failed verdict's (exit 5) says none, as theirs do.
 */
export interface MendWarnings {
  first?: string | undefined;
  looks: SummaryLooks;
}

/**
 * A mend the rate of its rows failing again stopped, they mostly transiently (ErrorGuard.stoppedByOutage: the service
 * still failing them): the output is left as it was, so it is judged as that output is, as a mend that sent every
 * row is (above), and the stop's line (`outage`) follows the verdict's. The stop is kept: against a service down throughout,
 * it sends about the requests 50 rows take instead of every listed row's. Until 2026-12-05 it was exit 5, whatever
 * the verdict on the output.
 */
export function stoppedByOutageSummary(
  outage: string,
  totals: Totals,
  summaryOf: SummaryOf,
  limits: JobLimits & { failureCounts: FailureCounts | undefined },
  warnings: MendWarnings,
): Summary {
  const verdict = verdictSummary(summaryOf, 'done', totals, judgeJob(totals, limits.failureCounts, limits, 'the whole job'));
  if (verdict.status === 'done') return { ...verdict, outputComplete: true, ...summaryWarnings([outage, warnings.first], warnings.looks) };
  return { ...verdict, outputComplete: true, warning: outage };
}
