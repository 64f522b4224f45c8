import { judgeJob, namesOf, SERVICE_FAILING_AT_END, shareFailure, verdictSummary, type JobLimits } from '../job/job-failures.js';
import type { SummaryOf } from '../job/run-context.js';
import type { Summary } from '../job/summary.js';
import type { FailureCounts } from '../state/failure-counts.js';
import type { Totals } from '../state/totals.js';
import type { MendJobResult } from './mend-job.js';

/**
 * The summary of a mend that ran, before its run figures are added: done, or
 * failed (exit 5, the output complete) when more of the rows it tried still
 * fail transiently than --max-error-rate allows (the outage is not over; the
 * next run tries them again), or when the whole job, its mended rows now
 * scored, is over the limits (job-failures.ts). A rerun of a completed job and
 * a resumed run that mends after completing judge the same way.
 */
export function mendedSummary(
  mend: Extract<MendJobResult, { kind: 'mended' }>,
  totals: Totals,
  summaryOf: SummaryOf,
  limits: JobLimits & { failureCounts: FailureCounts | undefined },
): Summary {
  const tried = mend.mended + mend.stillFailing + mend.refused;
  const tripped =
    // Rows that failed transiently again: the service is still failing, whatever the error column says.
    shareFailure(mend.stillFailing, tried, { rate: limits.maxErrorRate, named: namesOf(limits).maxErrorRate }, 'that had failed transiently failed again', 'this run', limits.errorPlace, SERVICE_FAILING_AT_END) ??
    judgeJob(totals, limits.failureCounts, limits, 'the whole job');
  return verdictSummary(summaryOf, 'done', totals, tripped);
}
