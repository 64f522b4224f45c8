import { ScoringError } from '../errors.js';
import { interruptedError } from '../scoring/retry.js';
import { neverSent } from './run-budget.js';

/**
 * Attempts in a row (across rows) that failed transiently, with no answer
 * between them, after which the service is taken for down. A service that
 * fails a share of requests (a 5xx blip, 2 % of requests) almost never fails
 * 8 in a row, and when it does the next answer opens the hold again.
 */
export const DOWN_AFTER = 8;
/**
 * Rows that may be in progress (sent at least once, final outcome not yet
 * known) while the service looks down. Each lasts its retries (about 12-16 s
 * with the default 6 attempts), so a 30 s outage ends about 2 × 8 rows failed,
 * well under half of the 50 rows the error guard waits for: a run that
 * survived a short outage before (its retries then queued behind hundreds of
 * read-ahead rows) still does. A long outage is still judged by the guard, 8
 * rows at a time.
 */
export const ROWS_WHILE_DOWN = 8;
/**
 * Answers 429 code 3040 ("Capacity temporarily exceeded") in a row, with no
 * answer between them, after which the service is taken for down as after
 * DOWN_AFTER 5xx. Shorter runs are the bursts a healthy service gives "even
 * far below the limit": retried, no row held back. `serve
 * --capacity-burst-rate` gives bursts of 5; two come back to back once in
 * 1/rate bursts, three once in 1/rate² (100 seeds of 3,200 requests at 0.05:
 * 11,930 runs of 5, 593 of 10, 33 of 15, none longer): 16 needs four
 * bursts back to back. A service out of capacity for every request gets
 * there within its first 16 requests, half a second at the default rate.
 * Counted apart from the 5xx: a burst of 3040s never makes a run of 5xx
 * look longer.
 */
export const CAPACITY_DOWN_AFTER = 16;

/**
 * Holds back the first attempt of new rows while the service looks down.
 *
 * The error guard (error-guard.ts) judges rows as they are written, in input
 * order, after their retries; meanwhile the read-ahead (hundreds of rows) kept
 * sending first attempts and their retries into a service that failed every
 * one: 1,044 requests before a guard stop that 50 rows × 6 attempts (300)
 * would have decided. Rows held here send nothing; a stop drops them (they
 * are not written, so the next run scores them, as rows waiting for a rate
 * slot). Rows already in progress keep retrying: their outcomes are what
 * opens the hold again (any answer) or what the guard judges.
 */
export class OutageHold {
  private failuresInARow = 0;
  /** 429 code 3040 since the last answer (5xx between them neither end nor lengthen the run). */
  private capacityInARow = 0;
  private inProgress = 0;
  /** In input order: the output is written in it, so the earliest row held is the one the guard waits for. */
  private readonly waiters: Array<{ index: number; admit: () => void; drop: () => void }> = [];

  constructor(
    private readonly downAfter = DOWN_AFTER,
    private readonly rowsWhileDown = ROWS_WHILE_DOWN,
    private readonly capacityDownAfter = CAPACITY_DOWN_AFTER,
  ) {}

  /**
   * The service looks down: the last `downAfter` attempts all failed transiently, or the last `capacityDownAfter`
   * were all answered out of capacity.
   */
  get down(): boolean {
    return this.downFor !== undefined;
  }

  /** Attempts that failed transiently since the last answer (429 code 3040 not among them). */
  get failedInARow(): number {
    return this.failuresInARow;
  }

  /** Why the service looks down (the warning says which), undefined while it does not. */
  get downFor(): 'failing' | 'capacity' | undefined {
    if (this.failuresInARow >= this.downAfter) return 'failing';
    if (this.capacityInARow >= this.capacityDownAfter) return 'capacity';
    return undefined;
  }

  /** Whether a new row would be held now (so it waits here before it queues for a rate slot). */
  get holding(): boolean {
    return this.down && (this.waiters.length > 0 || this.inProgress >= this.rowsWhileDown);
  }

  /**
   * A new row's first attempt is about to be sent: true counts it in progress
   * (`finish` when its outcome is known); false when it must wait (`turn`).
   */
  start(): boolean {
    if (this.holding) return false;
    this.inProgress += 1;
    return true;
  }

  /**
   * Waits until row `index` may start (the earliest row first), and counts it in progress; rejects as
   * `interrupted` when `signal` aborts.
   */
  turn(signal: AbortSignal, index: number): Promise<void> {
    if (signal.aborted) return Promise.reject(interruptedError(signal));
    if (this.start()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        index,
        admit: () => {
          signal.removeEventListener('abort', waiter.drop);
          this.inProgress += 1;
          resolve();
        },
        drop: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(interruptedError(signal));
        },
      };
      signal.addEventListener('abort', waiter.drop, { once: true });
      // Rows mostly come in input order; one that gave its limiter turn up may be earlier than some waiting.
      let at = this.waiters.length;
      while (at > 0 && (this.waiters[at - 1] as { index: number }).index > index) at -= 1;
      this.waiters.splice(at, 0, waiter);
    });
  }

  /** A row counted in progress has its outcome (scored, failed, or dropped by a stop). */
  finish(): void {
    this.inProgress = Math.max(0, this.inProgress - 1);
    this.admitWaiting();
  }

  /** One attempt's outcome: an answer (scores, or a refusal of the text) says the service is up. */
  attempted(error?: unknown): void {
    if (isAnswer(error)) {
      this.failuresInARow = 0;
      this.capacityInARow = 0;
      this.admitWaiting();
    } else if (isOutOfCapacity(error)) {
      this.capacityInARow += 1;
    } else if (isOutageFailure(error)) {
      this.failuresInARow += 1;
    }
  }

  /** Rows waiting here (tests). */
  get waiting(): number {
    return this.waiters.length;
  }

  private admitWaiting(): void {
    while (this.waiters.length > 0 && (!this.down || this.inProgress < this.rowsWhileDown)) {
      (this.waiters.shift() as { admit: () => void }).admit();
    }
  }
}

/** Whether an attempt's outcome is an answer (scores, or a refusal of the text): the service is up. */
export function isAnswer(error: unknown): boolean {
  return error === undefined || (error instanceof ScoringError && error.kind === 'row');
}

/** A 429 code 3040, "Capacity temporarily exceeded": counted apart (CAPACITY_DOWN_AFTER). */
function isOutOfCapacity(error: unknown): boolean {
  return error instanceof ScoringError && error.kind === 'retry' && error.status === 429 && error.rowCode === 'capacity';
}

/**
 * Failures that say the service is failing (5xx, connections dropped,
 * timeouts, broken answers). A 429 says it is up but busy: the limiter slows
 * down for a 3021 (or a 429 without a code), a long run of 3040s is counted
 * apart (isOutOfCapacity); a pause or a fatal answer stops the run anyway; an attempt
 * aborted by a stop says nothing. Nor does an attempt that made no connection
 * (refused, no such host): it sent nothing and cost nothing, so holding rows
 * back saves nothing, and an unreachable service is left to the error guard,
 * which stops the run as fast as before the hold (30 s for 2,000 rows against
 * a closed port, where counting them here made it 94 s).
 */
function isOutageFailure(error: unknown): boolean {
  return error instanceof ScoringError && error.kind === 'retry' && error.status !== 429 && error.rowCode !== 'aborted' && !neverSent(error);
}
