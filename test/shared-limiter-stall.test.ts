/**
 * A Redis that stops answering in the middle of a run with its connections open (SIGSTOP here; a paused or
 * overloaded server, a stopped container behind a live port forward) is an outage like a lost connection: warned at
 * once, given up on after the limit (exit 75), and "back" when it answers again. Nothing closed, so nothing was
 * noticed: the jobs waited for their slots for good, without a line (seen with the CLI: no progress and no warning
 * for 40 s, until a SIGTERM).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { createSharedBottleneck, type SharedBottleneck } from '../src/scoring/shared-limiter.js';
import { waitFor } from './support/cli.js';
import { REDIS_SERVER, REDIS_SKIP_REASON } from './support/redis.js';
import { holdingProxy } from './support/redis-proxy.js';
import { captureLog, expectGivenUp, freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';

describe.skipIf(!REDIS_SERVER)(`a Redis that stops answering mid-run, its connections open (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();
  const account = freshAccounts('stall');
  const open = (log: ReturnType<typeof createLogger>, outageLimitMs: number): Promise<SharedBottleneck> =>
    createSharedBottleneck({ redisUrl: redis().url, accountId: account(), model: MODEL, rpm: 6000, concurrency: 2, outageLimitMs, stallMs: 300, log });

  it('longer than the outage limit: warned, then the waiting jobs fail as a pause (exit 75) instead of waiting for good', async () => {
    const { log, messages } = captureLog();
    const limiter = await open(log, 600);
    await limiter.schedule(async () => 'warm-up');
    redis().pause();
    try {
      expectGivenUp(await Promise.allSettled([1, 2, 3].map(() => limiter.schedule(async () => 'sent'))));
      expect(messages()).toContain('Redis stopped answering with its connection open: reconnecting');
      expect(messages()).toContain('lost the connection to Redis: requests wait for it (no request is sent without a slot from the shared rate limit)');
      await limiter.stop({ dropWaitingJobs: true });
    } finally {
      redis().resume();
    }
  }, 20_000);

  it('shorter than the limit: the jobs wait, then run once Redis answers again, said back', async () => {
    const { log, messages } = captureLog();
    const limiter = await open(log, 60_000);
    try {
      await limiter.schedule(async () => 'warm-up');
      redis().pause();
      let jobs: Promise<string[]>;
      try {
        jobs = Promise.all([1, 2, 3].map(() => limiter.schedule(async () => 'sent')));
        jobs.catch(() => undefined);
        await waitFor(() => messages().some((msg) => msg.startsWith('lost the connection to Redis')), 10_000, 'the stall to be noticed');
      } finally {
        redis().resume();
      }
      expect(await jobs).toEqual(['sent', 'sent', 'sent']);
      await waitFor(() => messages().includes('Redis is back: scoring continues'), 10_000, 'Redis said back');
    } finally {
      await limiter.stop({ dropWaitingJobs: true });
    }
  }, 20_000);
});

describe.skipIf(!REDIS_SERVER)(`stopping while Redis does not answer, its connections open (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();

  // A job stopped (SIGTERM) in the first seconds of such a stall, before the liveness probe has cut the connection,
  // closed as if Redis answered: it pushed the group's key expiry, stopped bottleneck and sent QUIT, waiting for each
  // reply up to its bound (1 + 2 + 2 s): the CLI took 5 s from the SIGTERM to its summary.
  it('stop() asks Redis once whether it answers, and cuts the connections without the commands it would wait for', async () => {
    const proxy = await holdingProxy(redis().port);
    try {
      const limiter = await createSharedBottleneck({ redisUrl: proxy.url, accountId: freshAccounts('stop-stalled')(), model: MODEL, rpm: 6000, concurrency: 2 });
      await limiter.schedule(async () => 'warm-up');
      proxy.holdAll();
      await limiter.stop({ dropWaitingJobs: true });
      const sent = proxy.sentSinceHoldAll();
      expect(sent).toContain('\r\nPING\r\n');
      expect(sent).not.toContain('\r\nPEXPIRE\r\n');
      expect(sent).not.toContain('\r\nQUIT\r\n');
    } finally {
      await proxy.close();
    }
  });
});
