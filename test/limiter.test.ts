import Bottleneck from 'bottleneck';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { NOT_ADMITTED } from '../src/scoring/not-admitted.js';

describe('RequestLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('slows down on a rate-limit signal, ignores the rest of the same wave, then recovers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4 });
    expect(limiter.speed).toBe(1);

    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 1.5, 10);
    // Several in-flight requests answering 429 together are one signal.
    limiter.slowDown();
    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 1.5, 10);

    vi.advanceTimersByTime(2_500);
    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 2.25, 10);

    // Quiet intervals speed it back up, never past the configured rate. The check runs every
    // 3 s from the first slow-down (t = 3 s, 6 s...); at t = 3 s the last signal (t = 2.5 s) is too recent.
    vi.advanceTimersByTime(500);
    expect(limiter.speed).toBeCloseTo(1 / 2.25, 10);
    vi.advanceTimersByTime(3_000);
    expect(limiter.speed).toBeCloseTo(1.25 / 2.25, 10);
    // A stray 3021 costs seconds, not minutes: full speed again within 12 s of the last one.
    vi.advanceTimersByTime(9_000);
    expect(limiter.speed).toBe(1);
    await limiter.stop();
  });

  it('never slows below an eighth of the configured rate', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
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

  it('scheduleIf: a job its admit check turns away when its turn comes sends nothing and resolves NOT_ADMITTED', async () => {
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 1 });
    const sent: number[] = [];
    let open = false;
    const declined = limiter.scheduleIf(() => open, async () => sent.push(1));
    const admitted = limiter.scheduleIf(() => (open = true), async () => sent.push(2));
    expect(await declined).toBe(NOT_ADMITTED);
    expect(await admitted).toBe(1);
    expect(sent).toEqual([2]);
    await limiter.stop();
  });

  it('sends a retry (ahead) before the requests queued without it, in the order each kind came', async () => {
    // The bottleneck RequestLimiter makes for rpm 60,000 and concurrency 1, held here to see its queue: bottleneck takes
    // a job into it over several event-loop turns (a timer each), which a fixed 20 ms wait did not always give on a
    // loaded machine (the retries came after 'row 2', not queued yet when the running job ended).
    const bottleneck = new Bottleneck({ maxConcurrent: 1, minTime: 0.9 });
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 1, bottleneck });
    const queuedNow = (jobs: number) => expect.poll(() => bottleneck.counts().QUEUED, { timeout: 30_000, interval: 5 }).toBe(jobs);
    const sent: string[] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const isRunning = new Promise<void>((resolve) => (started = resolve));
    const running = limiter.schedule(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    );
    await isRunning;
    const queued = ['row 2', 'row 3', 'row 4'].map((name) => limiter.schedule(async () => void sent.push(name)));
    // As in a run: the retries come later, when rows read ahead are long queued.
    await queuedNow(3);
    const retries = ['retry of row 1', 'retry of row 0'].map((name) => limiter.schedule(async () => void sent.push(name), undefined, { ahead: true }));
    await queuedNow(5);
    release();
    await Promise.all([running, ...queued, ...retries]);
    expect(sent).toEqual(['retry of row 1', 'retry of row 0', 'row 2', 'row 3', 'row 4']);
    await limiter.stop();
  });

  it('drops rows still waiting for a slot when their signal aborts, without sending them', async () => {
    const limiter = new RequestLimiter({ rpm: 60, concurrency: 1 });
    const waiting = new AbortController();
    const sent: number[] = [];
    const first = limiter.schedule(async () => sent.push(1), waiting.signal);
    await first;
    // At 60 a minute the next slots are 1 s and 2 s away: abort while they wait.
    const queued = [2, 3].map((n) => limiter.schedule(async () => sent.push(n), waiting.signal));
    waiting.abort();
    for (const row of queued) await expect(row).rejects.toMatchObject({ code: 'interrupted' });
    expect(sent).toEqual([1]);
    await limiter.stop();
  });
});
