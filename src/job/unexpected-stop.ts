import { SentimentBatchError, thrownText } from '../errors.js';
import type { RowResult } from './dedupe.js';
import type { StopController } from './stop.js';

/**
 * A bug while scoring a row (anything the row scorer does not turn into an outcome) stops the run as a fatal error
 * does: exit 1 with one line, the run's figures kept in its summary and --summary-json. The row is abandoned (scored
 * again by the next run), not failed: a bug must not pass silently as a row failure of every row.
 */
export function stopForUnexpected(stop: StopController, error: unknown): RowResult {
  stop.request({ kind: 'fatal', error: new SentimentBatchError('internal', `unexpected error while scoring: ${thrownText(error)}`, { cause: error }) });
  return { kind: 'abandoned' };
}
