/**
 * The shared limiter's setup is bounded as a whole, and a stop ends it wherever it waits for Redis: not only the
 * connection (test/shared-limiter.test.ts), but the commands sent once Redis is ready too (the EVAL that adopts the
 * group's rate, the PEXPIREs of its keys' expiry). A Redis that took the connection and then stopped answering held
 * the setup there for good (the client waits for a reply without end), and an abort did not end it.
 *
 * A TCP proxy in front of a real redis-server lets the handshake and bottleneck's setup through, then holds every
 * reply once the client has sent the command named.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { RedisOutageWatch } from '../src/scoring/redis-connection.js';
import { createSharedBottleneck, sharedLimiterId } from '../src/scoring/shared-limiter.js';
import { waitFor } from './support/cli.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, silentRedis } from './support/redis.js';
import { holdingProxy } from './support/redis-proxy.js';
import { failureOf, freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';

/** What the client sends (upper case, as the proxy watches it) for each command after the connection's ready check. */
const AFTER_READY = [
  // adoptStricterRate's script (bottleneck's own scripts have `local current_version`, never `local current =`)
  { step: "the EVAL that adopts the group's rate", sent: 'LOCAL CURRENT = TONUMBER' },
  // GroupKeyExpiry.start's pipeline (bottleneck's scripts call pexpire inside Lua, never as a command of their own)
  { step: "the PEXPIREs of the group's keys", sent: '\r\nPEXPIRE\r\n' },
  // bottleneck's own setup, after the connection's ready check was answered: its first script (init.lua; ioredis sends a
  // script's text, EVAL, the first time on a connection).
  // The line said "cannot reach Redis … Start Redis", of a Redis that had answered.
  { step: "bottleneck's first script", sent: 'LOCAL CLEAR = TONUMBER' },
];

describe('a port that takes the connection and never answers, before ready (no redis-server needed)', () => {
  // It said "cannot reach Redis at … within 1 s." and no more: the same line as for nothing listening there, which
  // sends one to check the firewall rather than the Redis behind the port.
  it('the time-out line says the connection was taken, with no reply', async () => {
    const silent = await silentRedis();
    try {
      const error = await failureOf(createSharedBottleneck({ redisUrl: silent.url, accountId: `acct-${process.pid}-silent`, model: MODEL, rpm: 600, concurrency: 2, connectTimeoutMs: 1_000 }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(
        new RegExp(`^cannot reach Redis at ${silent.url} within 1 s \\(it took the connection, then gave no reply\\)\\. Start Redis or fix the Redis URL`),
      );
    } finally {
      await silent.close();
    }
  });
});

describe('a rediss:// URL at a port whose TLS handshake is never answered (a Redis without TLS)', () => {
  // It said "cannot reach Redis at rediss://… within 5 s." and no cause: `rediss://` at a plain redis-server (which
  // reads the TLS hello as the start of a command and waits for its end) looked like nothing listening at all.
  it('the time-out line says the connection was taken and the TLS handshake not answered', async () => {
    const silent = await silentRedis();
    const url = silent.url.replace('redis://', 'rediss://');
    try {
      const error = await failureOf(createSharedBottleneck({ redisUrl: url, accountId: `acct-${process.pid}-tls`, model: MODEL, rpm: 600, concurrency: 2, connectTimeoutMs: 1_000 }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(
        new RegExp(`^cannot reach Redis at ${url} within 1 s \\(it took the connection, then did not answer the TLS handshake: a Redis without TLS is reached with redis://\\)\\. Start Redis or fix the Redis URL`),
      );
    } finally {
      await silent.close();
    }
  });

  // OpenSSL's messages end in a line break: the line showed it escaped, `…ssl3_record.c:350:\n)`.
  it('another server there that answers the hello (OpenSSL: wrong version number): its cause on one line', async () => {
    const http = await silentRedis('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    const url = http.url.replace('redis://', 'rediss://');
    try {
      const error = await failureOf(createSharedBottleneck({ redisUrl: url, accountId: `acct-${process.pid}-tls400`, model: MODEL, rpm: 600, concurrency: 2, connectTimeoutMs: 1_000 }));
      expect((error as ConfigError).message).toMatch(/wrong version number:[^\n]*:\)\. Start Redis/);
    } finally {
      await http.close();
    }
  });
});

describe.skipIf(!REDIS_SERVER)(`the shared limiter's setup, with Redis's replies held after ready (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();
  const account = freshAccounts('setup');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeAll(() => void process.on('unhandledRejection', onUnhandled));
  afterAll(() => void process.off('unhandledRejection', onUnhandled));
  const options = (url: string) => ({ redisUrl: url, accountId: account(), model: MODEL, rpm: 600, concurrency: 2 });

  it.each(AFTER_READY)('no reply to $step: a ConfigError (exit 2) within the connect time-out, saying Redis did not answer', async ({ sent }) => {
    const proxy = await holdingProxy(redis().port);
    try {
      proxy.holdNewAfter(sent);
      const error = await failureOf(createSharedBottleneck({ ...options(proxy.url), connectTimeoutMs: 1_000 }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(2);
      expect((error as ConfigError).message).toMatch(new RegExp(`^Redis at ${proxy.url} did not answer within 1 s: it took the connection, then gave no reply`));
      expect((error as ConfigError).message).toMatch(/leave the Redis URL out\.$/);
      // The proxy saw the command: the hold was where this test means it to be.
      await proxy.sent(sent);
      // Anything still waiting for Redis when the connection was cut was handled.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 20_000);

  it.each(AFTER_READY)('no reply to $step, and a stop meanwhile: ends at the abort, with its reason', async ({ sent }) => {
    const proxy = await holdingProxy(redis().port);
    try {
      proxy.holdNewAfter(sent);
      const abort = new AbortController();
      const reason = new Error('stopping');
      void proxy.sent(sent).then(() => abort.abort(reason));
      const error = await failureOf(createSharedBottleneck({
        ...options(proxy.url),
        // Far longer than the test waits for anything else: only the abort ends it.
        connectTimeoutMs: 60_000,
        abort: abort.signal,
      }));
      expect(error).toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 20_000);

  // bottleneck's ready creates the group's keys (its settings, this client's entries) with no expiry: the setup's own
  // PEXPIREs come after it. A setup given up between the two (no reply, a refusal, a stop) left those keys in the
  // user's Redis for good. The setup's failure now asks Redis to expire them as a live job would, without waiting for
  // the reply (Redis runs what it was sent before the connection closes, even when its replies do not come back).
  it.each([
    { how: 'the connect time-out', stop: false },
    { how: 'a stop (the signal of a job setting up)', stop: true },
  ])("a setup given up after bottleneck's ready ($how) leaves the group's keys with an expiry", async ({ stop }) => {
    const proxy = await holdingProxy(redis().port);
    const direct = new Redis(redis().url);
    try {
      const given = options(proxy.url);
      proxy.holdNewAfter(AFTER_READY[0]!.sent);
      const abort = new AbortController();
      if (stop) void proxy.sent(AFTER_READY[0]!.sent).then(() => abort.abort(new Error('stopping')));
      const error = await failureOf(createSharedBottleneck({ ...given, connectTimeoutMs: stop ? 60_000 : 1_000, abort: abort.signal, idleExpiryMs: 600_000 }));
      expect(error).toBeInstanceOf(Error);
      const keys = await direct.keys(`b_${sharedLimiterId(given.accountId, MODEL)}_*`);
      // bottleneck's ready ran in Redis: its keys are there (else this test shows nothing).
      expect(keys).toContain(`b_${sharedLimiterId(given.accountId, MODEL)}_settings`);
      const ttls = async (): Promise<number[]> => Promise.all(keys.map((key) => direct.pttl(key)));
      // What the client sent as its connection closed reaches Redis through the proxy a moment later.
      await waitFor(async () => (await ttls()).every((ttl) => ttl > 0), 5_000, 'every key of the group to have an expiry').catch(() => undefined);
      for (const ttl of await ttls()) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(600_000);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      direct.disconnect();
      await proxy.close();
    }
  }, 20_000);

  // GroupKeyExpiry.start waits for its first PEXPIREs, then starts its interval. A setup given up while it waited
  // stopped the expiry (no interval yet) and closed the connection, whose pipeline then settled (ioredis settles a
  // pipeline on a closed connection with the error of each command): the interval started after all, every minute for
  // good, on a closed client. The CLI exits anyway (the timer is unref'd); a process that goes on (a test, a server)
  // kept it.
  it.each(AFTER_READY)('a setup given up at $step leaves no interval running', async ({ sent }) => {
    const proxy = await holdingProxy(redis().port);
    const made: NodeJS.Timeout[] = [];
    const cleared = new Set<unknown>();
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const timer = realSetInterval(...args);
      made.push(timer);
      return timer;
    }) as typeof setInterval);
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval').mockImplementation((timer) => {
      cleared.add(timer);
      realClearInterval(timer);
    });
    try {
      proxy.holdNewAfter(sent);
      const error = await failureOf(createSharedBottleneck({ ...options(proxy.url), connectTimeoutMs: 1_000 }));
      expect(error).toBeInstanceOf(ConfigError);
      await proxy.sent(sent);
      // What was still waiting for Redis settles once the connection is closed.
      await new Promise((resolve) => realSetTimeout(resolve, 300));
      expect(made.filter((timer) => !cleared.has(timer))).toEqual([]);
    } finally {
      setIntervalSpy.mockRestore();
      clearIntervalSpy.mockRestore();
      await proxy.close();
    }
  }, 20_000);
});

const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
const realSetTimeout = globalThis.setTimeout;

// The same line break in an error met after the start (a TLS Redis restarted behind a plain port): the outage watch's
// pause named its cause with the break escaped, `(…:350:\n)`.
describe('a Redis lost mid-run whose last error ends in a line break', () => {
  it('the pause names the cause on one line', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const client = new EventEmitter();
      const gaveUp: string[] = [];
      new RedisOutageWatch(client as never, { url: 'rediss://127.0.0.1:6380', limitMs: 30_000, warnEveryMs: 15_000, onGiveUp: (error) => gaveUp.push(error.message) });
      client.emit('ready');
      client.emit('error', new Error('80B0F2A1:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:350:\n'));
      client.emit('close');
      vi.advanceTimersByTime(30_000);
      expect(gaveUp).toHaveLength(1);
      expect(gaveUp[0]).toContain('ssl3_record.c:350:), so the shared rate limit cannot be kept');
    } finally {
      vi.useRealTimers();
    }
  });
});
