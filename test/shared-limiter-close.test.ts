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
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedBottleneck } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, TestRedis } from './support/redis.js';

interface HoldingProxy {
  url: string;
  /** On connections opened from now on, Redis's replies are held until `release` once the client has sent `text`. */
  holdNewAfter(text: string): void;
  /** Resolves once such a connection has sent `text` (upper case). */
  sent(text: string): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

async function holdingProxy(target: number): Promise<HoldingProxy> {
  let holdAfter: string | undefined;
  let released = false;
  const held: Array<() => void> = [];
  let sentText = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    const watched = holdAfter !== undefined && !released;
    const trigger = holdAfter;
    let text = '';
    const holding = (): boolean => watched && !released && trigger !== undefined && text.includes(trigger);
    client.on('data', (chunk: Buffer) => {
      if (watched) {
        text += chunk.toString('latin1').toUpperCase();
        sentText += chunk.toString('latin1').toUpperCase();
        for (const waiter of waiters.filter((w) => sentText.includes(w.text))) waiter.resolve();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holding()) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    const endBoth = (): void => {
      const flushThenEnd = (): void => {
        client.end();
        upstream.end();
      };
      if (holding()) held.push(flushThenEnd);
      else flushThenEnd();
    };
    client.on('end', () => upstream.end());
    upstream.on('end', endBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    holdNewAfter: (text) => (holdAfter = text),
    sent: (text) =>
      new Promise<void>((resolve) => {
        if (sentText.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    release: () => {
      released = true;
      for (const write of held.splice(0)) write();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!REDIS_SERVER)(`closing the shared limiter during a reconnect (${REDIS_SKIP_REASON})`, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it("stop() while the subscriber's reconnect handshake is unanswered leaves no unhandled rejection", async () => {
    const proxy = await holdingProxy(redis.port);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const limiter = await createSharedBottleneck({
        redisUrl: proxy.url,
        accountId: `acct-${process.pid}-close-${Date.now()}`,
        model: '@cf/huggingface/distilbert-sst-2-int8',
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
