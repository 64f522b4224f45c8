import { SentimentBatchError } from '../errors.js';
import type { RowResult } from './dedupe.js';
import type { StopController } from './stop.js';

/**
 * A bug while scoring a row (anything the row scorer does not turn into an outcome) stops the run as a fatal error
 * does: exit 1 with one line, the run's figures kept in its summary and --summary-json. The row is abandoned (scored
 * again by the next run), not failed: a bug must not pass silently as a row failure of every row.
 */
export function stopForUnexpected(stop: StopController, error: unknown): RowResult {
  stop.request({ kind: 'fatal', error: new SentimentBatchError('internal', `unexpected error while scoring: ${describe(error)}`, { cause: error }) });
  return { kind: 'abandoned' };
}

/** What was thrown, in words, whatever it is: a value without a string form (`Object.create(null)`) must not throw here. */
function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
