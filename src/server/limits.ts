/**
 * The account limits of Workers AI: requests per minute over a sliding
 * window, and a daily neuron allocation that resets at 00:00 UTC.
 */

/** Length of the rate-limit window. */
export const RATE_WINDOW_MS = 60_000;
const DAY_MS = 86_400_000;
// The pricing lives with the client's; the server charges by the same numbers.
export { NEURONS_PER_TOKEN, neuronsFor as neuronsForTokens } from '../scoring/pricing.js';

/** Timestamps in arrival order, oldest first, with O(1) amortised removal from the front. */
export class TimestampQueue {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(timestamp: number): void {
    this.items.push(timestamp);
  }

  oldest(): number | undefined {
    return this.items[this.head];
  }

  /** Drops timestamps that are no longer inside the window ending at `now`: (now - windowMs, now]. */
  expire(now: number, windowMs: number): void {
    while (this.head < this.items.length && (this.items[this.head] as number) <= now - windowMs) this.head += 1;
    // Compact now and then so memory stays proportional to the window, not the run.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * `rpm` requests per account in any sliding 60 s window. Only admitted
 * requests enter the window: a client that keeps retrying while limited does
 * not push its own recovery further away.
 */
export class RateLimiter {
  private readonly windows = new Map<string, TimestampQueue>();

  constructor(private readonly rpm: number | undefined) {}

  admit(account: string, now: number): Admission {
    if (this.rpm === undefined) return { ok: true };
    let window = this.windows.get(account);
    if (!window) {
      window = new TimestampQueue();
      this.windows.set(account, window);
    }
    window.expire(now, RATE_WINDOW_MS);
    if (window.length < this.rpm) {
      window.push(now);
      return { ok: true };
    }
    // The oldest admitted request leaves the window at oldest + 60 s: a slot frees then.
    const oldest = window.oldest() ?? now;
    const waitMs = oldest + RATE_WINDOW_MS - now;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  reset(): void {
    this.windows.clear();
  }
}

/**
 * The daily neuron allocation per account. A request is refused once the
 * day's usage has reached the allocation; requests already admitted still
 * finish and are charged, so usage may end slightly above it.
 */
export class NeuronBudget {
  private readonly used = new Map<string, number>();
  private day = -1;

  constructor(private readonly dailyNeurons: number | undefined) {}

  get limit(): number | undefined {
    return this.dailyNeurons;
  }

  exhausted(account: string, now: number): boolean {
    if (this.dailyNeurons === undefined) return false;
    this.rollOver(now);
    return (this.used.get(account) ?? 0) >= this.dailyNeurons;
  }

  charge(account: string, neurons: number, now: number): void {
    this.rollOver(now);
    this.used.set(account, (this.used.get(account) ?? 0) + neurons);
  }

  usedToday(account: string, now: number): number {
    this.rollOver(now);
    return this.used.get(account) ?? 0;
  }

  reset(): void {
    this.used.clear();
  }

  // The allocation resets at 00:00 UTC.
  private rollOver(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.used.clear();
    }
  }
}
