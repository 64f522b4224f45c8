/**
 * An exact "at most `limit` starts in any `windowMs`" guard: the times of the
 * last `limit` starts are kept in a ring; a new start waits until the oldest
 * of them is more than `windowMs + marginMs` ago. bottleneck's even spacing
 * already keeps to the limit; this guard makes it hold even when timers fire
 * early or a burst of retries lines up. The margin is what the service sees
 * differently: it counts arrivals, not starts, so a request held up on its way
 * (network jitter, a busy event loop before the bytes leave) arrives later and
 * bunches with the next ones. 500 ms covers 0-200 ms of delivery jitter plus a
 * stalled event loop, for 0.8 % of the throughput (measured: bench rate-limit).
 */
export const DEFAULT_MARGIN_MS = 500;

export class SlidingWindow {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** No start before this time (`now()`'s clock): the service asked to wait (hold). */
  private heldUntil = 0;
  /** Least time between two starts (a 3021 slow-down); 0: only the limit. */
  private spacingMs = 0;
  private lastStart = -Infinity;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly marginMs = DEFAULT_MARGIN_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => this.timerSleep(ms),
  ) {
    this.times = new Float64Array(limit);
  }

  /**
   * Resolves true when a start is allowed, and records it. Calls are served in order. `unlessHeld`: resolves false
   * instead, recording nothing, when a hold is on once the full window no longer makes it wait (the caller gives its
   * concurrency slot back rather than wait the hold out in it, and queues again).
   */
  acquire({ unlessHeld = false }: { unlessHeld?: boolean } = {}): Promise<boolean> {
    const turn = this.chain.then(() => this.waitForSlot(unlessHeld));
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** No start for `ms` from now (or longer, if an earlier hold ends later). */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }

  /**
   * Least time between two starts, checked when a start is due (not fixed when a caller queued): speeding up takes
   * effect for the callers already waiting. It wakes the current wait so a shorter spacing applies at once.
   */
  setSpacing(ms: number): void {
    const faster = ms < this.spacingMs;
    this.spacingMs = ms;
    if (faster && this.wakeUp) {
      clearTimeout(this.timer);
      this.wakeUp();
    }
  }

  /** How long the current hold has left, in ms (0: none). */
  get heldForMs(): number {
    return Math.max(0, this.heldUntil - this.now());
  }

  /** Ends every wait at once (shutdown): waiting callers resolve, and must check why themselves. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.wakeUp?.();
  }

  private async waitForSlot(unlessHeld: boolean): Promise<boolean> {
    for (let wait = this.waitMs(); wait > 0 && !this.closed; wait = this.waitMs()) {
      if (unlessHeld && this.heldForMs > 0) return false;
      await this.sleep(Math.ceil(wait));
    }
    this.lastStart = this.now();
    this.times[this.next] = this.lastStart;
    this.next = (this.next + 1) % this.limit;
    this.count = Math.min(this.count + 1, this.limit);
    return true;
  }

  /** How long the next start must wait: for the oldest of the last `limit` starts to leave the window, a hold, the spacing. */
  private waitMs(): number {
    // The slot about to be reused holds the oldest of the last `limit` starts.
    const full = this.count === this.limit ? (this.times[this.next] as number) + this.windowMs + this.marginMs - this.now() : 0;
    return Math.max(full, this.heldUntil - this.now(), this.lastStart + this.spacingMs - this.now());
  }

  private timerSleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
