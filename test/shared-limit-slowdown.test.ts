import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { createSharedBottleneck } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON } from './support/redis.js';
import { freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';
import { maxInWindow } from './support/windows.js';

const RPM = 60;

/**
 * Two jobs share one limit through Redis; one is slowed by 3021s (to 1/7.6 of --rpm), then recovers. A job takes the
 * group's start slot when bottleneck starts it: with the slowed spacing in the sliding window, after that slot (lowfix50),
 * the slowed job kept the slots it took at the group's pace and sent them late, with the group's next: 66 starts in a
 * 60 s window of --rpm 60 (60 before lowfix50, and with the slowed spacing before the slot: SharedBottleneck.paceStarts).
 */
describe.skipIf(!REDIS_SERVER)(`a shared limit with one job slowed by 3021s (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();
  const account = freshAccounts('shared-limit-slowdown');

  it('the group never starts more than --rpm requests in any 60 s window', async () => {
    const id = account();
    const make = async () => new RequestLimiter({ rpm: RPM, concurrency: 10, bottleneck: await createSharedBottleneck({ redisUrl: redis().url, accountId: id, model: MODEL, rpm: RPM, concurrency: 10 }) });
    const [slowed, other] = [await make(), await make()];
    const t0 = performance.now();
    const starts: number[] = [];
    let running = true;
    // Each job keeps 12 rows queued, each a request of 50 ms, for 100 s.
    const pump = (limiter: RequestLimiter) =>
      Promise.all(
        Array.from({ length: 12 }, async () => {
          while (running) {
            await limiter.schedule(async () => {
              starts.push(performance.now() - t0);
              await new Promise((resolve) => setTimeout(resolve, 50));
            }, new AbortController().signal).catch(() => undefined);
          }
        }),
      );
    // Five 3021s 2.1 s apart (one wave each: slowDown counts one per 2 s), then none.
    slowed.slowDown();
    const waves = setInterval(() => (performance.now() - t0 < 9_000 ? slowed.slowDown() : undefined), 2_100);
    const pumps = [pump(slowed), pump(other)];
    await new Promise((resolve) => setTimeout(resolve, 100_000));
    running = false;
    clearInterval(waves);
    await Promise.all([slowed.stop(), other.stop()]);
    await Promise.race([Promise.all(pumps), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    expect(starts.length).toBeGreaterThan(RPM);
    expect(maxInWindow(starts, 60_000)).toBeLessThanOrEqual(RPM);
  }, 150_000);
});
