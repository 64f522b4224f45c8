/**
 * A Redis-shared limit (--redis): after a Retry-After hold the refused row's retry is this job's first start, and the
 * group, two jobs here, still never starts more than its rate. bottleneck's Redis scripts book a start when a row asks
 * for the group's slot: asked by every row as it took a --concurrency slot (60 s / rpm apart), the rows booked before
 * the hold went before the retry at its end (42 requests in the 24.6 s between the 429 and its retry, score --rpm 120
 * against serve).
 * test/limiter-retry-order.test.ts has the same over a stand-in, on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { createSharedBottleneck, sharedMinTime } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON } from './support/redis.js';
import { freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';
import { allowedInWindow, maxInWindow } from './support/windows.js';

const RPM = 600; // one start of the group per ~100 ms
const CONCURRENCY = 20;

describe.skipIf(!REDIS_SERVER)(`a shared limit's retry after a Retry-After hold (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();
  const account = freshAccounts('shared-retry-order');

  it('goes first at the hold\'s end, before the rows that took a slot before it, and the group keeps its rate', async () => {
    const id = account();
    const make = async () =>
      new RequestLimiter({ rpm: RPM, concurrency: CONCURRENCY, bottleneck: await createSharedBottleneck({ redisUrl: redis().url, accountId: id, model: MODEL, rpm: RPM, concurrency: CONCURRENCY }) });
    const [held, other] = [await make(), await make()];
    const starts: Array<{ job: string; name: string; at: number }> = [];
    const row = (limiter: RequestLimiter, job: string, name: string, ahead = false) =>
      limiter.schedule(async () => void starts.push({ job, name, at: performance.now() }), new AbortController().signal, { ahead });
    const jobs = [...Array.from({ length: 40 }, (_, i) => row(held, 'held', `row ${i}`)), ...Array.from({ length: 40 }, (_, i) => row(other, 'other', `row ${i}`))];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      held.holdFor(1_000);
      const holdEnds = performance.now() + 1_000;
      jobs.push(row(held, 'held', 'retry', true));
      await Promise.all(jobs);
      const afterHold = starts.filter((start) => start.job === 'held' && start.at >= holdEnds - 5);
      expect(starts.filter((start) => start.job === 'held' && start.at > holdEnds - 990 && start.at < holdEnds - 5)).toEqual([]);
      expect(afterHold[0]?.name).toBe('retry');
      // 3 s of the group's spacing: 30 starts and one at the window's edge, starts recorded up to 300 ms late allowed for.
      expect(maxInWindow(starts.map((start) => start.at), 3_000)).toBeLessThanOrEqual(allowedInWindow(3_000, sharedMinTime(RPM), 300));
    } finally {
      await Promise.all([held.stop(), other.stop()]);
      for (const job of jobs) job.catch(() => undefined);
    }
  }, 60_000);
});
