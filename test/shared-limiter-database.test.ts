/**
 * The database a Redis URL names (redis://host:6379/2). ioredis selects it on its own once connected and drops the
 * reply, so a number the server does not have (16 databases by default) failed there without a word: the job said
 * "rate limit shared through Redis", ran to exit 0, and kept its keys in database 0, where the URL did not say
 * (found 2026-12-05 with `score --redis redis://:pw@127.0.0.1:6390/99`: `INFO keyspace` showed db0 only).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { createSharedBottleneck, sharedLimiterId } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON } from './support/redis.js';
import { failureOf, freshAccounts, MODEL, useTestRedis } from './support/shared-limiter-fixture.js';

describe.skipIf(!REDIS_SERVER)(`the database of the Redis URL (${REDIS_SKIP_REASON})`, () => {
  const redis = useTestRedis();
  const account = freshAccounts('database');

  it('a database the server does not have is a ConfigError (exit 2) naming it, and leaves no key without expiry in database 0', async () => {
    const accountId = account();
    const error = await failureOf(createSharedBottleneck({ redisUrl: `${redis().url}/99`, accountId, model: MODEL, rpm: 600, concurrency: 2, connectTimeoutMs: 3_000 }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toMatch(new RegExp(`^the Redis at ${redis().url}/99 has no database 99 \\(ERR DB index is out of range\\): `));
    expect((error as ConfigError).message).toMatch(/fix the database number of the Redis URL \(--redis, REDIS_URL or the job file's "redis"\)/);
    const probe = new Redis(redis().url);
    try {
      // Whatever bottleneck's own setup made in database 0 before the check is left to expire, as a live job's keys are.
      const keys = await probe.keys(`b_${sharedLimiterId(accountId, MODEL)}_*`);
      for (const key of keys) expect(await probe.pttl(key)).toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }
  }, 20_000);

  it('a database it has is used: the group keys are there, not in database 0', async () => {
    const accountId = account();
    const shared = await createSharedBottleneck({ redisUrl: `${redis().url}/3`, accountId, model: MODEL, rpm: 600, concurrency: 2 });
    const db0 = new Redis(redis().url);
    const db3 = new Redis(`${redis().url}/3`);
    try {
      const pattern = `b_${sharedLimiterId(accountId, MODEL)}_*`;
      expect((await db3.keys(pattern)).length).toBeGreaterThan(0);
      expect(await db0.keys(pattern)).toEqual([]);
    } finally {
      db0.disconnect();
      db3.disconnect();
      await shared.stop();
    }
  }, 20_000);
});
