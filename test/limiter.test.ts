import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';

describe('RequestLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('slows down on a rate-limit signal, ignores the rest of the same wave, then recovers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4 });
    expect(limiter.speed).toBe(1);

    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 1.5, 10);
    // Several in-flight requests answering 429 together are one signal.
    limiter.slowDown();
    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 1.5, 10);

    vi.advanceTimersByTime(3_000);
    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 2.25, 10);

    // Quiet intervals speed it back up, never past the configured rate. The check runs every
    // 10 s from the first slow-down (t = 10 s, 20 s...); at t = 10 s the last signal (t = 3 s) is too recent.
    vi.advanceTimersByTime(7_000);
    expect(limiter.speed).toBeCloseTo(1 / 2.25, 10);
    vi.advanceTimersByTime(10_000);
    expect(limiter.speed).toBeCloseTo(1.25 / 2.25, 10);
    vi.advanceTimersByTime(60_000);
    expect(limiter.speed).toBe(1);
    await limiter.stop();
  });

  it('never slows below an eighth of the configured rate', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4 });
    for (let i = 0; i < 20; i++) {
      limiter.slowDown();
      vi.advanceTimersByTime(2_500);
    }
    expect(limiter.speed).toBeCloseTo(1 / 8, 10);
    await limiter.stop();
  });

  it('runs every scheduled request and passes its result through', async () => {
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => limiter.schedule(async () => n * 2)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    await limiter.stop();
  });
});
