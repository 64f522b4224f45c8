import { SentimentBatchError } from '../errors.js';
import { ANY_ERROR_PLACE } from '../io/error-place.js';
import type { Outcome } from '../io/record.js';
import { counted } from '../wording/counted.js';
import { groupedNumber } from '../wording/grouped-number.js';
import type { Totals } from '../state/totals.js';
import { countRow, type FailureCounts } from '../state/failure-counts.js';
import { flagNames, judgeJob, mostlyServiceFailures, SERVICE_FAILING, TOO_LONG_ADVICE, TOO_LONG_WHAT, type JobLimits, type LimitNames, type VerdictScope } from './job-failures.js';
import { unreadableCauses } from './reader-failures.js';
import { TEXT_TOO_LONG } from './row-plan.js';
import { ReachTracker } from './unreachable.js';
import { ForeignAnswerTracker } from './foreign-answers.js';
import { explainTimedOut, timedOutCause } from './timed-out.js';
import { FailureStreak } from './failure-streak.js';

/** What to do after a stop mid-run when the rows failed mostly transiently (a run that keeps no checkpoint: stopped-summary.ts). */
export const CONTINUES_LATER = `${SERVICE_FAILING} (it continues where this run stopped, and scores again the rows that failed transiently)`;
/**
 * ...after a mend's stop: it continues nowhere. The output is left as it was, its failed rows still listed (the rows
 * answered are in the journal), and the next run mends them again.
 */
const MENDS_LATER = `${SERVICE_FAILING} (the output is left as it was, its failed rows still listed: that run mends them)`;

/** Where a stopped run's rows are: its partial output, or with `-o -` standard output, which leaves none. */
const PARTIAL_OUTPUT = 'the partial output';
export const STDOUT_ROWS = 'the rows written to standard output';

/** Rows over which a failure share is judged. */
const WINDOW = 200;
/** Too few rows say nothing about a rate. */
const MIN_ROWS = 50;

/** Per row in FailureWindow's ring: it did not fail, it failed, it failed transiently. */
const PASSED = 0;
const FAILED = 1;
const FAILED_TRANSIENT = 2;

/** The share of failures among the last WINDOW rows added. */
class FailureWindow {
  /** The last WINDOW rows, a ring (an array's shift() per row moved all of them, in every row's path). */
  private readonly recent = new Uint8Array(WINDOW);
  /** Rows in `recent`, up to WINDOW; the next row goes at `next`, over the oldest once it is full. */
  private size = 0;
  private next = 0;
  private failures = 0;
  private transient = 0;
  /** Every row this run added, for the judgement at the end of the run. */
  rows = 0;
  failed = 0;
  failedTransient = 0;

  /**
   * Adds one row; returns the failures among the last rows, and how many of them failed transiently
   * (a rerun may score them), once there are enough rows and their share is over `limit`.
   */
  add(failed: boolean, limit: number, transient = false): { failed: number; transient: number; rows: number } | undefined {
    if (this.size === WINDOW) {
      const dropped = this.recent[this.next];
      if (dropped !== PASSED) this.failures -= 1;
      if (dropped === FAILED_TRANSIENT) this.transient -= 1;
    } else {
      this.size += 1;
    }
    this.recent[this.next] = failed ? (transient ? FAILED_TRANSIENT : FAILED) : PASSED;
    this.next = this.next + 1 === WINDOW ? 0 : this.next + 1;
    this.rows += 1;
    if (failed) {
      this.failed += 1;
      this.failures += 1;
      if (transient) {
        this.transient += 1;
        this.failedTransient += 1;
      }
    }
    const rows = this.size;
    return rows >= MIN_ROWS && this.failures / rows > limit ? { failed: this.failures, transient: this.transient, rows } : undefined;
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
  /** The rows read, and of them those failed by --long-text fail: failed rows the model never saw, nor unreadable. */
  private readonly long = new FailureWindow();
  /** Whether the rows sent lately failed because the service could not be reached (the stop then says so). */
  private readonly reach = new ReachTracker();
  /** Whether the rows sent lately got complete answers that are not the model's (the stop then says so). */
  private readonly foreign = new ForeignAnswerTracker();
  /** Whether the rows sent lately all timed out (the stop then names --timeout: the service may only be slow). */
  private readonly slow = new FailureStreak(timedOutCause);
  private failures = 0;
  /** Of `failures`, the rows that failed transiently (the service failing: a later run scores them again). */
  private transientFailures = 0;
  /** The guard of a mend (forMend): its stop leaves no partial output and nothing to continue from. */
  private mend = false;
  /**
   * The rate over the rows sent stopped the run, and they had failed mostly transiently (the service failing them, not
   * their text): a mend so stopped leaves the output as it was, and is judged as that output is (mend/mended-summary.ts).
   * Only the mend reads it (mend-job.ts); an ordinary run's guard sets it too, once, in the branch that returns its stop,
   * whose line already says the same (adviceAfterStop). Kept for every guard: a fact of the stop, not of the mend, and
   * setting it for the mend's guard alone would add a branch to save one assignment a run.
   */
  stoppedByOutage = false;

  /**
   * The guard of a rerun's mend: the rate over its last rows sent stops it, as it stops a run (--max-errors is the
   * job's, judged at the end), and its stops are worded for a mend.
   */
  static forMend(maxErrorRate: number, errorPlace: string, names?: LimitNames): ErrorGuard {
    const guard = new ErrorGuard(undefined, maxErrorRate, errorPlace, undefined, names);
    guard.mend = true;
    return guard;
  }

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
    /** How the messages name the settings (a job file's keys when it gave them); default their flags. */
    private readonly names: LimitNames = flagNames({ maxErrors, maxErrorRate }),
    /** What holds the rows written, their errors in `errorPlace`: PARTIAL_OUTPUT, or STDOUT_ROWS. */
    private readonly rowsWritten = PARTIAL_OUTPUT,
  ) {}

  /** Records one written row; returns the error to stop with, if this row trips the guard. */
  record(failed: boolean, reachedModel: boolean, readFailure = false, outcome?: Outcome): SentimentBatchError | undefined {
    if (reachedModel && outcome) {
      this.reach.add(outcome);
      this.foreign.add(outcome);
      this.slow.add(outcome);
    }
    const transient = outcome?.kind === 'failed' && outcome.failure.transient === true;
    const tooLong = outcome?.kind === 'failed' && outcome.failure.code === TEXT_TOO_LONG;
    if (failed) this.failures += 1;
    if (failed && transient) this.transientFailures += 1;
    if (this.job) countRow(this.job, failed, reachedModel, readFailure, transient, tooLong);
    if (this.maxErrors !== undefined && this.failures > this.maxErrors) {
      // As the share stop below: an outage is said as one (run again later), rows refused for their text send to the errors.
      const advice = this.adviceAfterStop({ failed: this.failures, transient: this.transientFailures });
      const tripped = `more than ${counted(this.maxErrors, 'row')} failed (${this.names.maxErrorsSetting})`;
      // A cause named (answers not the model's, a service never reached) brings its own advice: the figures close it bare,
      // as the rate's stop below does (they closed on "the service is failing" after "could not be reached").
      const bare = new SentimentBatchError('too_many_errors', tripped);
      const explained = this.explainSent(bare);
      return explained !== bare ? explained : new SentimentBatchError('too_many_errors', `${tripped}; ${advice}`);
    }
    const unreadable = this.read.add(readFailure, this.maxErrorRate);
    if (unreadable) {
      // Where each row's own reason is (a short row's names the cells it lacks): the stop's line cannot name them all.
      // A mend writes no partial output: its output, left as it was, lists its failed rows.
      const reasons = this.mend ? '' : `; see ${this.errorPlace} of ${this.rowsWritten} for each row's reason`;
      return new SentimentBatchError(
        'too_many_errors',
        `${lastRows(unreadable)} read could not be read (${this.names.unreadable ?? unreadableCauses()}; limit ${this.names.maxErrorRate})${reasons}; check the input and ${this.names.text}`,
      );
    }
    // Judged as the unreadable rows are, among the rows read: a file of texts mostly over the window (the wrong policy,
    // the wrong column) stops instead of failing row after row.
    const long = this.long.add(tooLong, this.maxErrorRate);
    if (long) {
      return new SentimentBatchError('too_many_errors', `${lastRows(long)} read ${TOO_LONG_WHAT} (--long-text fail; limit ${this.names.maxErrorRate}); see ${this.errorPlace} of ${this.rowsWritten}; ${TOO_LONG_ADVICE}`);
    }
    if (!reachedModel) return undefined;
    const failing = this.sent.add(failed, this.maxErrorRate, transient);
    if (failing) {
      this.stoppedByOutage = mostlyServiceFailures(failing);
      const advice = this.adviceAfterStop(failing);
      const stop = new SentimentBatchError('too_many_errors', `${lastRows(failing)} sent to the model failed (limit ${this.names.maxErrorRate}); stopping instead of burning through the file`);
      // An unreachable service is said as such, with its own advice; so is something else answering in its place
      // (waiting for the service changes nothing).
      const explained = this.explainSent(stop);
      return explained !== stop ? explained : new SentimentBatchError('too_many_errors', `${stop.message}: ${advice}`);
    }
    return undefined;
  }

  /**
   * What to do after a stop mid-run. Mostly the service failing (an outage): a later run continues and scores those rows
   * again. Mostly rows refused for their text: running again changes nothing, the errors say what is wrong; a mend
   * wrote them nowhere (its copy is removed, the output left as it was), so it says how to have them written.
   */
  private adviceAfterStop(failures: { failed: number; transient: number }): string {
    if (mostlyServiceFailures(failures)) return this.mend ? MENDS_LATER : CONTINUES_LATER;
    if (!this.mend) return `see ${this.errorPlace} of ${this.rowsWritten} and the log`;
    return `the service refused them for their text; the output is left as it was, its failed rows still listed and these errors not written: run again with --max-error-rate 1 to write them to ${this.errorPlace}`;
  }

  /**
   * At the end of a run that read all its rows: the same limit over all of
   * them, however few. The windows above wait for MIN_ROWS rows, so without
   * this a small file whose every row failed would end "done" with exit 0.
   * This run's rows only: the verdict on a resumed job is `finalForJob`.
   */
  final(): SentimentBatchError | undefined {
    const run = { unreadable: this.read.failed, sent: this.sent.rows, sentFailed: this.sent.failed, sentFailedTransient: this.sent.failedTransient, tooLong: this.long.failed };
    // --max-errors stops the run as the row that passes it is written (record), so it is not judged again here.
    return judgeJob({ read: this.read.rows, failed: this.failures }, run, { ...this.limits(), maxErrors: undefined }, 'this run', (error) => this.explainSent(error));
  }

  /**
   * The verdict on the job the run completed (job-failures.ts): its `totals`
   * and the failure counts this guard kept for it, earlier runs' included.
   */
  finalForJob(totals: Pick<Totals, 'read' | 'failed'>, scope: VerdictScope): SentimentBatchError | undefined {
    return judgeJob(totals, this.job, this.limits(), scope, (error) => this.explainSent(error));
  }

  /**
   * Why the rows sent failed, when known: answers that are not the model's, a service never reached, or one that
   * answered no request within --timeout. No two hold at once: each needs every row since the last answer to have
   * failed its own way.
   */
  explainSent(error: SentimentBatchError): SentimentBatchError {
    const foreign = this.foreign.explain(error);
    if (foreign !== error) return foreign;
    const reach = this.reach.explain(error);
    return reach !== error ? reach : explainTimedOut(this.slow, error);
  }

  private limits(): JobLimits {
    return { maxErrors: this.maxErrors, maxErrorRate: this.maxErrorRate, errorPlace: this.errorPlace, names: this.names };
  }
}

/** "69 of the last 135 rows": exact counts (a rounded share read "50%" for a stop over a limit of 0.5). */
function lastRows(window: { failed: number; rows: number }): string {
  return `${groupedNumber(window.failed)} of the last ${groupedNumber(window.rows)} rows`;
}
