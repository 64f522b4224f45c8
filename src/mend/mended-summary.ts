import { ExitCode } from '../errors.js';
import { wholeRunFailure } from '../job/error-guard.js';
import type { SummaryOf } from '../job/run-context.js';
import type { Summary } from '../job/summary.js';
import type { Totals } from '../state/totals.js';
import type { MendJobResult } from './mend-job.js';

/**
 * The summary of a mend that ran, before its run figures are added: done, or
 * failed (exit 5, the output complete) when more of the rows it tried failed
 * again than --max-error-rate allows. A rerun of a completed job and a resumed
 * run that mends after completing judge the same way.
 */
export function mendedSummary(
  mend: Extract<MendJobResult, { kind: 'mended' }>,
  totals: Totals,
  summaryOf: SummaryOf,
  limits: { maxErrorRate: number; errorPlace: string },
): Summary {
  const tried = mend.mended + mend.stillFailing + mend.refused;
  const tripped = wholeRunFailure(tried - mend.mended, tried, limits.maxErrorRate, 'that had failed transiently failed again', limits.errorPlace);
  return tripped ? { ...summaryOf('failed', ExitCode.TooManyErrors, totals, tripped.message), outputComplete: true } : summaryOf('done', ExitCode.Done, totals);
}
