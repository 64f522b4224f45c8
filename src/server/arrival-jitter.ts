/**
 * Delivery jitter: each API request is held back a random 0-N ms before the
 * server counts it as arrived (rate limit, stats, fault draw), as a jittery
 * network between client and service would. Requests sent evenly spaced then
 * arrive bunched, which is what a client's rate limit must survive
 * (`npm run bench -- rate-limit` with BENCH_JITTER). Its own seeded generator,
 * so fault draws stay the same with or without jitter.
 */
import type { LatencyRange } from './fault-config.js';
import { createRandom, uniformInt } from './random.js';

export class ArrivalJitter {
  private readonly random;

  constructor(
    private readonly range: LatencyRange,
    seed: number,
  ) {
    this.random = createRandom(seed + 0x9e3779b9);
  }

  /** How long to hold the next request back. */
  nextDelayMs(): number {
    return uniformInt(this.random.next(), Math.round(this.range.minMs), Math.round(this.range.maxMs));
  }
}
