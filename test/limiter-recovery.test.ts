// After a 3021 slow-down, the job is back at full speed once the limiter's rate is, not once the rows it had already
// given a turn at the slowed spacing have gone out.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import type { SharedBottleneck } from '../src/scoring/shared-limiter.js';
import { sharedOverLocal } from './support/shared-limiter-fixture.js';

describe('RequestLimiter recovery after a 3021 slow-down', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // lowfix48 measured ~17 requests/min (1/8 of --rpm 120) for 2.5-3 min after the last 429: bottleneck had booked
  // --concurrency (48) rows at the 8x spacing (3.6 s), 48 x 3.6 s = 173 s, and speeding up did not move them.
  // A shared limit (--redis) slowed its local bottleneck, which books the same way: 21 starts from 60 s to 120 s (lowfix61).
  // A 3021 with a Retry-After slows the job down and holds it (remote-send.ts): with a hold of 1 s each time too.
  it.each([
    ['its own limit', undefined, 0],
    ['its own limit, each 3021 with a Retry-After of 1 s', undefined, 1_000],
    ['a shared limit (--redis)', sharedOverLocal, 0],
    ['a shared limit (--redis), each 3021 with a Retry-After of 1 s', sharedOverLocal, 1_000],
  ])('--rpm 120, --concurrency 48: full speed within a minute of the last 3021, not after the rows booked while slow: %s', async (_name, shared, holdMs) => {
    const { starts, lastSlowdown, slowest, speedAfter } = await sixSlowdowns(0, 120_000, shared, holdMs);
    expect(slowest).toBeCloseTo(1 / 8, 10);
    // Slowed, the starts are: at an eighth of --rpm 120, 4 s apart, 2 in the 6 s after the last 3021 (12 at full speed).
    expect(starts.filter((at) => at >= lastSlowdown && at < lastSlowdown + 6_000).length).toBeLessThanOrEqual(3);
    // The rate itself is back within ~30 s (3 s steps of 1.25x from 1/8).
    expect(speedAfter).toBe(1);
    // From 60 s to 120 s after the last 3021: full speed is 120 a minute (the window's limit); before, ~17.
    const late = starts.filter((at) => at >= lastSlowdown + 60_000 && at < lastSlowdown + 120_000).length;
    expect(late).toBeGreaterThanOrEqual(100);
    // Never a burst of the rows that waited while slow: at most the limit's 20 (and a start made early) in any 10 s.
    expect(busiestIn(starts, 10_000)).toBeLessThanOrEqual(21);
  });

  // lowfix50's catch-up (the window at half the spacing) let the rows that waited out at 4.4 a second, twice the
  // limit's 2, for ~20 s after the rate was back, and the 60 s window echoed that bunch a minute later (41, 45 in 10 s).
  it('--rpm 120: after the recovery, no 5 s window over 1.25 x the rate of the limit, the minute after included', async () => {
    const { starts, lastSlowdown } = await sixSlowdowns(30_000, 180_000);
    // 10 starts in 5 s at 120 a minute; 12.5 is 1.25 x.
    expect(busiestIn(starts, 5_000)).toBeLessThanOrEqual(12);
    // Recovery stays within ~30 s: the full rate's 10 in the 5 s from 35 s after the last 3021.
    expect(starts.filter((at) => at >= lastSlowdown + 35_000 && at < lastSlowdown + 40_000).length).toBeGreaterThanOrEqual(9);
    // And nothing lost: the limit's 120 a minute from then on.
    expect(starts.filter((at) => at >= lastSlowdown + 60_000 && at < lastSlowdown + 180_000).length).toBeGreaterThanOrEqual(236);
  });
});

/**
 * --rpm 120, --concurrency 48, 800 rows on a fake clock (`shared`: a shared limit's, over its stand-in): `steadyMs` at
 * full speed, then slowed down to an eighth (1.5^6 > 8), one 3021 every 2.5 s as a refused wave after wave would (each
 * holding the job `holdMs`, a Retry-After), then `thenMs` more. Start times, in ms.
 */
async function sixSlowdowns(
  steadyMs: number,
  thenMs: number,
  shared?: (rpm: number, concurrency: number) => SharedBottleneck,
  holdMs = 0,
): Promise<{ starts: number[]; lastSlowdown: number; slowest: number; speedAfter: number }> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
  const limiter = new RequestLimiter({ rpm: 120, concurrency: 48, ...(shared ? { bottleneck: shared(120, 48) } : {}) });
  const starts: number[] = [];
  const jobs = Array.from({ length: 800 }, () => limiter.schedule(async () => void starts.push(performance.now())));
  try {
    await vi.advanceTimersByTimeAsync(steadyMs);
    for (let i = 0; i < 6; i++) {
      limiter.slowDown();
      if (holdMs > 0) limiter.holdFor(holdMs);
      await vi.advanceTimersByTimeAsync(2_500);
    }
    const slowest = limiter.speed;
    const lastSlowdown = performance.now() - 2_500;
    await vi.advanceTimersByTimeAsync(thenMs);
    // A copy: stop() ends the window's waits, and the rows waiting there start at once.
    return { starts: [...starts], lastSlowdown, slowest, speedAfter: limiter.speed };
  } finally {
    await limiter.stop();
    // Jobs dropped by stop() reject; those left on the fake clock's timers never settle: not awaited.
    for (const job of jobs) job.catch(() => undefined);
  }
}

/** The most starts in any `ms` from one of them. */
function busiestIn(starts: number[], ms: number): number {
  return Math.max(...starts.map((from) => starts.filter((at) => at >= from && at < from + ms).length));
}

describe('RequestLimiter recovery under the shared (Redis) limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // createSharedBottleneck starts the local bottleneck at 60 s / rpm (the group's spacing binds); recovery settled at
  // 0.9 x that, the own-bottleneck spacing, instead of the value it started with (review63). Back at it, no spacing of its own.
  it('--rpm 120: after a 3021 and its recovery, the shared limit paces no start of its own, as before the 3021', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
    const bottleneck = sharedOverLocal(120, 4);
    const update = vi.spyOn(bottleneck, 'paceStarts');
    const limiter = new RequestLimiter({ rpm: 120, concurrency: 4, bottleneck });
    try {
      limiter.slowDown();
      expect(update).toHaveBeenLastCalledWith(750);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(update).toHaveBeenLastCalledWith(0);
      expect(limiter.speed).toBe(1);
    } finally {
      await limiter.stop();
    }
  });
});
