import type { SentimentBatchError } from '../errors.js';

export type StopReason =
  | { kind: 'pause'; error: SentimentBatchError }
  | { kind: 'fatal'; error: SentimentBatchError }
  | { kind: 'too_many_errors'; error: SentimentBatchError }
  | { kind: 'interrupt'; signal: string };

/**
 * The one place a run is told to stop. Intake checks `requested` before each
 * record; rows waiting (for a rate slot, a retry's backoff or Retry-After)
 * watch `waitingSignal`, which aborts as soon as a stop is asked for; in-flight
 * attempts watch `signal`, which aborts at once for a fatal error and after
 * the grace period for the other reasons.
 */
export class StopController {
  private current: StopReason | undefined;
  private readonly controller = new AbortController();
  private readonly waitingController = new AbortController();
  private listeners: Array<(reason: StopReason) => void> = [];
  /**
   * True while the run waits for another run's output lock (job/run.ts): a signal then has no request in
   * flight and no checkpoint to save, and the line logged for it must not say it has.
   */
  waitingForLock = false;

  get reason(): StopReason | undefined {
    return this.current;
  }

  get requested(): boolean {
    return this.current !== undefined;
  }

  /** Aborts in-flight attempts (their rows are left for the next run). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts when any stop is asked for: rows not yet sent are dropped at once (the next run scores them). */
  get waitingSignal(): AbortSignal {
    return this.waitingController.signal;
  }

  /** The first reason wins; a fatal error still aborts in-flight work at once. */
  request(reason: StopReason): void {
    if (reason.kind === 'fatal') this.abortInFlight();
    if (this.current) return;
    this.current = reason;
    this.waitingController.abort(new Error('stopping'));
    for (const listener of this.listeners) listener(reason);
  }

  abortInFlight(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('stopping'));
  }

  onStop(listener: (reason: StopReason) => void): void {
    this.listeners.push(listener);
  }
}
