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
const DEFAULT_MARGIN_MS = 500;

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
  /** Time between two starts on average (see setSpacing); 0: only the limit. */
  private spacingMs = 0;
  /** How far ahead of its due time a start may go, to make up for late ones. */
  private catchUpMs = 0;
  /** When the last start was due: the next is due `spacingMs` after it (or at once, if that is past). */
  private lastDue = -Infinity;
  /** No two starts' turns closer than this (setMinGap); 0: none. */
  private minGapMs = 0;
  /** The last start's turn: when it could go by the gap, at the earliest when it began to wait (setMinGap). */
  private lastTurn = -Infinity;

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
   * concurrency slot back rather than wait the hold out in it, and queues again). `admit`: asked when the start is
   * allowed, false resolves false, recording nothing (the next caller may go at once). Once closed, a caller with
   * `admit` resolves false, one without true.
   */
  acquire({ unlessHeld = false, admit }: { unlessHeld?: boolean; admit?: () => boolean } = {}): Promise<boolean> {
    const arrived = this.now();
    const turn = this.chain.then(() => this.waitForSlot(arrived, unlessHeld, admit));
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * No start for `ms` from now (or longer, if an earlier hold ends later). It wakes the current wait, so an `unlessHeld`
   * caller gives its turn up at once: left to wait longer than a short hold (a row's turn 5.4 s away at --rpm 10, a 2 s
   * Retry-After), it went when its wait ended, the hold over, and every caller behind it too, before the refused row's retry.
   */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
    if (this.wakeUp) {
      clearTimeout(this.timer);
      this.wakeUp();
    }
  }

  /**
   * Spacing of starts, checked when a start is due (not fixed when a caller queued): speeding up takes effect for the
   * callers already waiting. It wakes the current wait so a shorter spacing applies at once.
   *
   * Starts are due every `ms` (GCRA): a start may go up to `catchUpMs` before its due time, so a late timer or a stalled
   * event loop is made up by the next starts, and the rate stays `ms` whatever the delays up to `catchUpMs`. Spacing
   * from the last start instead lost every delay (83 % of the limit in `npm run bench -- rate-limit` at the configured
   * spacing), and half that spacing, which made delays up, let the rows that waited through a 3021 slow-down out at
   * twice the rate for ~20 s, a bunch the 60 s window echoed every minute after (lowfix51). At most
   * (`catchUpMs` / `ms` + 1) starts go earlier than their spacing in a row.
   */
  setSpacing(ms: number, catchUpMs = 0): void {
    const faster = ms < this.spacingMs || catchUpMs > this.catchUpMs;
    this.spacingMs = ms;
    this.catchUpMs = catchUpMs;
    if (faster && this.wakeUp) {
      clearTimeout(this.timer);
      this.wakeUp();
    }
  }

  /**
   * No start less than `ms` after the previous one's turn, a turn being due `ms` after the previous one, or when its
   * caller began to wait if later (bottleneck's minTime, reckoned when the start is due rather than when a caller takes
   * a concurrency slot). It stops the catch-up (setSpacing) from letting catchUpMs / spacing + 1 starts go at once after
   * a hold or idle time, while a late timer does not move the next turns.
   */
  setMinGap(ms: number): void {
    this.minGapMs = ms;
  }

  /** How long the current hold has left, in ms (0: none). */
  get heldForMs(): number {
    return Math.max(0, this.heldUntil - this.now());
  }

  /** Closed (shutdown): a caller given false may have been turned away by it, not by a hold or its admit check. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends every wait at once (shutdown): waiting callers resolve, and must check why themselves. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.wakeUp?.();
  }

  private async waitForSlot(arrived: number, unlessHeld: boolean, admit: (() => boolean) | undefined): Promise<boolean> {
    const turn = Math.max(this.lastTurn + this.minGapMs, arrived);
    for (let wait = this.waitMs(turn); wait > 0 && !this.closed; wait = this.waitMs(turn)) {
      if (unlessHeld && this.heldForMs > 0) return false;
      await this.sleep(Math.ceil(wait));
    }
    if (admit && (this.closed || !admit())) return false;
    this.lastTurn = turn;
    const now = this.now();
    // Early (within catchUpMs): the next one is due a spacing after this one's due time, not after now.
    this.lastDue = Math.max(this.lastDue + this.spacingMs, now);
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    this.count = Math.min(this.count + 1, this.limit);
    return true;
  }

  /** How long the next start must wait: for the oldest of the last `limit` starts to leave the window, a hold, the spacing, its turn. */
  private waitMs(turn: number): number {
    // The slot about to be reused holds the oldest of the last `limit` starts.
    const full = this.count === this.limit ? (this.times[this.next] as number) + this.windowMs + this.marginMs - this.now() : 0;
    return Math.max(full, this.heldUntil - this.now(), this.lastDue + this.spacingMs - this.catchUpMs - this.now(), turn - this.now());
  }

  private timerSleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
