import type { SentimentBatchError } from '../errors.js';

export type StopReason =
  | { kind: 'pause'; error: SentimentBatchError }
  | { kind: 'fatal'; error: SentimentBatchError }
  | { kind: 'too_many_errors'; error: SentimentBatchError }
  | { kind: 'interrupt'; signal: string };

/**
 * The one place a run is told to stop. Intake checks `requested` before each
 * record; in-flight attempts watch `signal`, which aborts at once for a fatal
 * error and after the grace period for the other reasons.
 */
export class StopController {
  private current: StopReason | undefined;
  private readonly controller = new AbortController();
  private listeners: Array<(reason: StopReason) => void> = [];

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

  /** The first reason wins; a fatal error still aborts in-flight work at once. */
  request(reason: StopReason): void {
    if (reason.kind === 'fatal') this.abortInFlight();
    if (this.current) return;
    this.current = reason;
    for (const listener of this.listeners) listener(reason);
  }

  abortInFlight(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('stopping'));
  }

  onStop(listener: (reason: StopReason) => void): void {
    this.listeners.push(listener);
  }
}
