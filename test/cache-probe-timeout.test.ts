import { describe, expect, it } from 'vitest';
import { OPEN_LOCK_STALE_MS } from '../src/state/cache-open-lock.js';
import { PROBE_TIMEOUT_MS } from '../src/state/cache-probe.js';

/**
 * The probe (cache-probe.ts) holds the cache's open lock while its child reads, and let the child read for 120 s, where
 * any process waiting for the lock takes it over after 60 s (OPEN_LOCK_STALE_MS), whoever holds it: a probe still
 * reading then had its lock taken from it, and another process's open or commit ran beside the child's read, which is
 * what the lock is there to keep apart. The child is now stopped well before the lock can be judged abandoned.
 */
describe('the probe of a cache and the open lock it holds', () => {
  it('ends its child well within the time after which a waiter takes the lock over', () => {
    expect(PROBE_TIMEOUT_MS).toBeLessThanOrEqual(OPEN_LOCK_STALE_MS / 2);
  });
});
