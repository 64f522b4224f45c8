import type { SentimentBatchError } from '../errors.js';
import { groupedNumber } from '../wording/grouped-number.js';
import type { MendResult } from './mend.js';

/**
 * Why a mend's rows failed again when the service failed every one of them (an HTTP 500, a 503, a connection reset:
 * each transient), said as the summary's warning, as a mend with the service unreachable or answered by something else
 * says its cause (error-guard.ts explainSent). Without it such a mend ended exit 0 with only "40 rows failed
 * transiently: run the same command again", nothing saying that the service failed them all again, nor how.
 *
 * Only when no row of the mend was answered or refused: a service that answered some of them is not said to be failing.
 */
export function failingAgainCause(result: Extract<MendResult, { kind: 'mended' }>, again: SentimentBatchError): string | undefined {
  const failed = result.stillFailed.length;
  if (failed === 0 || result.scored > 0 || result.refused > 0 || result.lastTransient === undefined) return undefined;
  const rows = failed === 1 ? 'the row sent again failed transiently' : `the ${groupedNumber(failed)} rows sent again all failed transiently`;
  return `the service is failing: ${rows} (${result.lastTransient}); run the same command again once it answers (${again.message})`;
}
