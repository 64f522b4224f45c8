/**
 * What the shared limiter's tests share (test/shared-limiter*.test.ts): a real redis-server for a describe block, a
 * fresh group per test, the error a setup ends with, a log to read, and the verdict on the jobs an outage gave up on.
 * Each file had its own copy of these.
 */
import Bottleneck from 'bottleneck';
import { afterAll, beforeAll, expect } from 'vitest';
import { SentimentBatchError } from '../../src/errors.js';
import { SharedSlots } from '../../src/scoring/redis-slots.js';
import { SharedBottleneck, sharedMinTime } from '../../src/scoring/shared-limiter.js';
import { TestRedis } from './redis.js';

export const MODEL = '@cf/huggingface/distilbert-sst-2-int8';

/**
 * A redis-server started before the describe block's tests and stopped after them (with `also`, for what the block
 * must end first: its limiters). Call it inside the block; `redis()` is the server, inside a test.
 */
export function useTestRedis(also: { afterAll?: () => Promise<void> } = {}): () => TestRedis {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await also.afterAll?.();
    await redis?.close();
  });
  return () => {
    if (!redis) throw new Error('the test redis-server is not started: call useTestRedis() inside a describe block');
    return redis;
  };
}

/** A fresh account id per call (`tag` names the file or case), so no group carries over from one test to the next. */
export function freshAccounts(tag: string): () => string {
  let count = 0;
  return () => `acct-${process.pid}-${tag}-${++count}-${Date.now()}`;
}

/** What a setup expected to fail failed with: undefined when it did not fail. */
export function failureOf(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
}

// The shared limiter's tests read their logs through it; it has a module of its own, as other tests read theirs too.
export { captureLog, type LogLine } from './capture-log.js';

/** Every job of `outcomes` was given up on as a Redis outage past its limit is: `shared_limit_lost`, exit 75 (try later). */
export function expectGivenUp(outcomes: PromiseSettledResult<unknown>[]): SentimentBatchError[] {
  return outcomes.map((outcome) => {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as SentimentBatchError;
    expect(reason).toBeInstanceOf(SentimentBatchError);
    expect(reason.code).toBe('shared_limit_lost');
    expect(reason.exitCode).toBe(75);
    return reason;
  });
}

/**
 * A Redis-shared limiter's bottleneck with a local bottleneck as the group's (no redis-server, and it runs on a fake
 * clock): spaced as createSharedBottleneck spaces a group of `rpm`, its local part as it makes it. The group's
 * bottleneck books each job's start when it is given one, as bottleneck's Redis scripts do. `closeShared`: what its stop ends
 * with, where a real one closes the Redis connections.
 */
export function sharedOverLocal(rpm: number, concurrency: number, closeShared: () => Promise<void> = async () => undefined): SharedBottleneck {
  const group = new SharedSlots(new Bottleneck({ minTime: sharedMinTime(rpm) }), 90_000, 'local');
  return new SharedBottleneck({ maxConcurrent: concurrency, minTime: 60_000 / rpm }, group, new Bottleneck(), closeShared, 'test');
}
