import { SentimentBatchError } from '../errors.js';

/** Rows sent to the model over which the failure share is judged. */
const WINDOW = 200;
/** Too few rows say nothing about a rate. */
const MIN_ROWS = 50;

/**
 * Stops a run whose rows are failing: an absolute `maxErrors` over all failed
 * rows, and a share of failures among the last rows that reached the model
 * (so a file of many empty rows does not trip it).
 */
export class ErrorGuard {
  private readonly recent: boolean[] = [];
  private recentFailures = 0;
  private failures = 0;

  constructor(
    private readonly maxErrors: number | undefined,
    private readonly maxErrorRate: number,
  ) {}

  /** Records one written row; returns the error to stop with, if this row trips the guard. */
  record(failed: boolean, reachedModel: boolean): SentimentBatchError | undefined {
    if (failed) this.failures += 1;
    if (this.maxErrors !== undefined && this.failures > this.maxErrors) {
      return new SentimentBatchError('too_many_errors', `more than ${this.maxErrors} rows failed (--max-errors); see the ${'sentiment_error'} column of the partial output and the log`);
    }
    if (!reachedModel) return undefined;
    this.recent.push(failed);
    if (failed) this.recentFailures += 1;
    if (this.recent.length > WINDOW && this.recent.shift()) this.recentFailures -= 1;
    if (this.recent.length >= MIN_ROWS && this.recentFailures / this.recent.length > this.maxErrorRate) {
      const share = Math.round((100 * this.recentFailures) / this.recent.length);
      return new SentimentBatchError(
        'too_many_errors',
        `${share}% of the last ${this.recent.length} rows sent to the model failed (limit --max-error-rate ${this.maxErrorRate}); stopping instead of burning through the file`,
      );
    }
    return undefined;
  }
}
