/**
 * test/support/redis.ts's TestRedis picks a free port, then redis-server binds it: another process can take the port
 * in between (another test's server, a connection's local port). It used to fail the whole file then ("redis-server
 * exited (1) before it was ready ... Address already in use"); a port taken meanwhile is now given up for another.
 */
import net from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, REDIS_SERVER, REDIS_SKIP_REASON, TestRedis } from './support/redis.js';

describe.skipIf(!REDIS_SERVER)(`TestRedis.start when its port is taken before redis-server binds it (${REDIS_SKIP_REASON})`, () => {
  it('picks another port and starts there', async () => {
    // The port picked first is taken by someone else (here: a listener of this test) by the time redis-server binds it.
    const taker = net.createServer();
    await new Promise<void>((resolve) => taker.listen(0, '127.0.0.1', resolve));
    const taken = (taker.address() as net.AddressInfo).port;
    const picks: number[] = [];
    const pickPort = async (): Promise<number> => {
      const port = picks.length === 0 ? taken : await freePort();
      picks.push(port);
      return port;
    };
    let redis: TestRedis | undefined;
    try {
      redis = await TestRedis.start(undefined, pickPort);
      expect(picks).toHaveLength(2);
      expect(redis.port).toBe(picks[1]);
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        expect(await client.ping()).toBe('PONG');
      } finally {
        client.disconnect();
      }
    } finally {
      await redis?.close();
      await new Promise<void>((resolve) => taker.close(() => resolve()));
    }
  });

  it('a port given by the caller is not swapped: it fails, saying the port is in use', async () => {
    const taker = net.createServer();
    await new Promise<void>((resolve) => taker.listen(0, '127.0.0.1', resolve));
    const taken = (taker.address() as net.AddressInfo).port;
    try {
      await expect(TestRedis.start(taken)).rejects.toThrow(/Address already in use/);
    } finally {
      await new Promise<void>((resolve) => taker.close(() => resolve()));
    }
  });
});
