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

/**
 * `result` with a rejection turned into stopForUnexpected's outcome, the handler attached at once: a row's promise
 * waits its turn to be written (the pipeline's window, a mend's queue), and one that rejected while an earlier row was
 * awaited was unhandled until then (Node's stack trace, exit 1, no summary nor --summary-json).
 */
export function settleRow(result: RowResult | Promise<RowResult>, stop: StopController): RowResult | Promise<RowResult> {
  return result instanceof Promise ? result.then(undefined, (error: unknown) => stopForUnexpected(stop, error)) : result;
}
