/**
 * Closing the shared limiter while its subscriber connection is half-way
 * through a reconnect (a job that ends just as Redis comes back) must not
 * leave an unhandled rejection behind: in the CLI one ends the process with
 * Node's stack trace and exit 1, whatever the job's outcome.
 *
 * The race is made deterministic with a TCP proxy in front of a real
 * redis-server that holds back Redis's replies on new connections: the
 * subscriber's ready check (INFO) stays unanswered until the limiter has sent
 * QUIT, then both replies arrive together. ioredis then re-subscribes on its
 * own (event_handler.js readyHandler) and Redis closes the connection before
 * answering: that SUBSCRIBE is rejected with "Connection is closed.".
 */
import { describe, expect, it } from 'vitest';
import { createSharedBottleneck } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON } from './support/redis.js';
import { holdingProxy } from './support/redis-proxy.js';
import { freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';

describe.skipIf(!REDIS_SERVER)(`closing the shared limiter during a reconnect (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();

  it("stop() while the subscriber's reconnect handshake is unanswered leaves no unhandled rejection", async () => {
    const proxy = await holdingProxy(redis().port);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const limiter = await createSharedBottleneck({
        redisUrl: proxy.url,
        accountId: freshAccounts('close')(),
        model: MODEL,
        rpm: 6000,
        concurrency: 2,
      });
      await limiter.schedule(async () => 'warm-up');
      const subscriber = (limiter as unknown as { shared: { connection: { subscriber: import('ioredis').Redis } } }).shared.connection.subscriber;
      // The subscriber's connection drops (a network blip) and comes back through the proxy, its replies held.
      // Commands in RESP: the ready check is `*1 $4 INFO`, the close `*1 $4 QUIT`.
      proxy.holdNewAfter('\r\nINFO\r\n');
      subscriber.disconnect(true);
      // Its ready check is on the wire, unanswered: the limiter is stopped now.
      await proxy.sent('\r\nINFO\r\n');
      const stopped = limiter.stop({ dropWaitingJobs: true });
      await proxy.sent('\r\nQUIT\r\n');
      proxy.release();
      await stopped;
      // The rejection, when there is one, comes as the connection closes: give it a few turns of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unhandled.map((reason) => (reason instanceof Error ? reason.message : String(reason)))).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await proxy.close();
    }
  });
});
