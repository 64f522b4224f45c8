/**
 * An exact "at most `limit` starts in any `windowMs`" guard: the times of the
 * last `limit` starts are kept in a ring; a new start waits until the oldest
 * of them is more than `windowMs + marginMs` ago. bottleneck's even spacing
 * already keeps to the limit; this guard makes it hold even when timers fire
 * early or a burst of retries lines up, and the margin absorbs network jitter
 * between our clock and the server's.
 */
export class SlidingWindow {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly marginMs = 100,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.times = new Float64Array(limit);
  }

  /** Resolves when a start is allowed, and records it. Calls are served in order. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.waitForSlot());
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    if (this.count === this.limit) {
      // The slot we are about to reuse holds the oldest of the last `limit` starts.
      const oldest = this.times[this.next] as number;
      for (let wait = oldest + this.windowMs + this.marginMs - this.now(); wait > 0; wait = oldest + this.windowMs + this.marginMs - this.now()) {
        await this.sleep(Math.ceil(wait));
      }
    }
    this.times[this.next] = this.now();
    this.next = (this.next + 1) % this.limit;
    this.count = Math.min(this.count + 1, this.limit);
  }
}
