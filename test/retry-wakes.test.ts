// The retry waits that the service's recovery ends early (job/retry-wakes.ts): what a wait leaves behind once it ends.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RetryWakes } from '../src/job/retry-wakes.js';

/** Whether `promise` settles within `ms` of real time: 'settled', 'rejected' or 'waiting'. */
async function within(promise: Promise<void>, ms: number): Promise<'settled' | 'rejected' | 'waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), ms)));
  try {
    return await Promise.race([promise.then(() => 'settled' as const, () => 'rejected' as const), waiting]);
  } finally {
    clearTimeout(timer);
  }
}

describe('RetryWakes', () => {
  it('a wait that ended on its own is not woken again: the recovery counts only the rows still waiting', async () => {
    const wakes = new RetryWakes();
    await wakes.sleep(5, undefined, 0);
    const waiting = wakes.sleep(60_000, undefined, 1);
    // The log's retriesWoken: one row was waiting, not two.
    expect(wakes.wakeAll()).toBe(1);
    expect(await within(waiting, 1_000)).toBe('settled');
    expect(wakes.wakeAll()).toBe(0);
  });

  it('a stop made before the wait rejects it at once, not after its 60 s', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped'));
    expect(await within(new RetryWakes().sleep(60_000, stop.signal, 0), 1_000)).toBe('rejected');
  });

  it("leaves no listener on the run's stop signal once a wait ends, woken or not: a run's thousands of retries add none up", async () => {
    const wakes = new RetryWakes();
    const stop = new AbortController();
    for (let i = 0; i < 20; i += 1) await wakes.sleep(1, stop.signal, i);
    const woken = [wakes.sleep(60_000, stop.signal, 0), wakes.sleep(60_000, stop.signal)];
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(2);
    wakes.wakeAll();
    await woken[0];
    // The unwakeable wait (a 429's) is still there, with its listener alone.
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort(new Error('stopped'));
    await expect(woken[1]).rejects.toThrow('stopped');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
