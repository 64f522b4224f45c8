import { SentimentBatchError } from '../errors.js';
import { ANY_ERROR_PLACE } from '../io/error-place.js';
import type { Outcome } from '../io/record.js';
import { counted } from '../wording/counted.js';
import type { Totals } from '../state/totals.js';
import { countRow, type FailureCounts } from '../state/failure-counts.js';
import { judgeJob, type JobLimits, type VerdictScope } from './job-failures.js';
import { ReachTracker } from './unreachable.js';

/** Rows over which a failure share is judged. */
const WINDOW = 200;
/** Too few rows say nothing about a rate. */
const MIN_ROWS = 50;

/** The share of failures among the last WINDOW rows added. */
class FailureWindow {
  private readonly recent: boolean[] = [];
  private failures = 0;
  /** Every row this run added, for the judgement at the end of the run. */
  rows = 0;
  failed = 0;

  /** Adds one row; returns the failure share once there are enough rows and it is over `limit`. */
  add(failed: boolean, limit: number): { share: number; rows: number } | undefined {
    this.recent.push(failed);
    this.rows += 1;
    if (failed) this.failed += 1;
    if (failed) this.failures += 1;
    if (this.recent.length > WINDOW && this.recent.shift()) this.failures -= 1;
    const share = this.failures / this.recent.length;
    return this.recent.length >= MIN_ROWS && share > limit ? { share, rows: this.recent.length } : undefined;
  }
}

/**
 * Stops a run whose rows are failing: an absolute `maxErrors` over all failed
 * rows; a share of failures among the last rows that reached the model (so a
 * file of many empty rows does not trip it); and the same share among the last
 * rows read, for rows that fail while reading (ragged, not JSON, no text field),
 * so a file that is mostly unreadable stops instead of being copied row by row.
 */
export class ErrorGuard {
  private readonly sent = new FailureWindow();
  private readonly read = new FailureWindow();
  /** Whether the rows sent lately failed because the service could not be reached (the stop then says so). */
  private readonly reach = new ReachTracker();
  private failures = 0;

  constructor(
    private readonly maxErrors: number | undefined,
    private readonly maxErrorRate: number,
    /** Where the messages send the reader to see the errors (io/error-place.ts). */
    private readonly errorPlace = ANY_ERROR_PLACE,
    /**
     * The job's failure counts (job-failures.ts), carried from the checkpoint and
     * added to in place as rows are written; undefined: not kept (an older checkpoint).
     */
    readonly job?: FailureCounts,
  ) {}

  /** Records one written row; returns the error to stop with, if this row trips the guard. */
  record(failed: boolean, reachedModel: boolean, readFailure = false, outcome?: Outcome): SentimentBatchError | undefined {
    if (failed) this.failures += 1;
    if (reachedModel && outcome) this.reach.add(outcome);
    if (this.job) countRow(this.job, failed, reachedModel, readFailure);
    if (this.maxErrors !== undefined && this.failures > this.maxErrors) {
      return this.reach.explain(new SentimentBatchError('too_many_errors', `more than ${counted(this.maxErrors, 'row')} failed (--max-errors); see ${this.errorPlace} of the partial output and the log`));
    }
    const unreadable = this.read.add(readFailure, this.maxErrorRate);
    if (unreadable) {
      return new SentimentBatchError(
        'too_many_errors',
        `${Math.round(100 * unreadable.share)}% of the last ${unreadable.rows} rows read could not be read (ragged rows, lines that are not JSON objects, a missing text field; limit --max-error-rate ${this.maxErrorRate}); check the input and --text-column/--text-field`,
      );
    }
    if (!reachedModel) return undefined;
    const failing = this.sent.add(failed, this.maxErrorRate);
    if (failing) {
      return this.reach.explain(
        new SentimentBatchError(
          'too_many_errors',
          `${Math.round(100 * failing.share)}% of the last ${failing.rows} rows sent to the model failed (limit --max-error-rate ${this.maxErrorRate}); stopping instead of burning through the file`,
        ),
      );
    }
    return undefined;
  }

  /**
   * At the end of a run that read all its rows: the same limit over all of
   * them, however few. The windows above wait for MIN_ROWS rows, so without
   * this a small file whose every row failed would end "done" with exit 0.
   * This run's rows only: the verdict on a resumed job is `finalForJob`.
   */
  final(): SentimentBatchError | undefined {
    const run = { unreadable: this.read.failed, sent: this.sent.rows, sentFailed: this.sent.failed };
    // --max-errors stops the run as the row that passes it is written (record), so it is not judged again here.
    return judgeJob({ read: this.read.rows, failed: this.failures }, run, { ...this.limits(), maxErrors: undefined }, 'this run', (error) => this.reach.explain(error));
  }

  /**
   * The verdict on the job the run completed (job-failures.ts): its `totals`
   * and the failure counts this guard kept for it, earlier runs' included.
   */
  finalForJob(totals: Pick<Totals, 'read' | 'failed'>, scope: VerdictScope): SentimentBatchError | undefined {
    return judgeJob(totals, this.job, this.limits(), scope, (error) => this.reach.explain(error));
  }

  private limits(): JobLimits {
    return { maxErrors: this.maxErrors, maxErrorRate: this.maxErrorRate, errorPlace: this.errorPlace };
  }
}
