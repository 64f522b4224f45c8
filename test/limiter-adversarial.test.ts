// The whole local RequestLimiter (bottleneck for concurrency and order, the window for spacing and the limit), seeded at
// random on a fake clock: --rpm 20-6000, --concurrency 1-200, holds, 3021 slow-downs, idle minutes, an admit check that
// turns rows away (the outage hold's 8 in progress), then a stop while rows wait. Never more than rpm starts in 60 s, no
// two starts closer than the gap (0.9 x 60 s / rpm, less the ms of rounding: a turn is reckoned from the previous turn, not
// from when that start went), at most 8 in progress while "down", every row settled and nothing sent after the stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { NOT_ADMITTED } from '../src/scoring/not-admitted.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] } as Parameters<typeof vi.useFakeTimers>[0];

describe('RequestLimiter, adversarial', () => {
  afterEach(() => vi.useRealTimers());
  for (let run = 0; run < 12; run++) {
    it(`seed ${run}`, async () => {
      let seed = 1000 + run * 7919;
      const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const rpm = Math.round(20 + random() ** 2 * 5980);
      const concurrency = 1 + Math.floor(random() * 200);
      vi.useFakeTimers(FAKE);
      const limiter = new RequestLimiter({ rpm, concurrency });
      const starts: number[] = [];
      let inProgress = 0; // the outage hold's stand-in: admit says no from 8 in progress while down
      let most = 0;
      let down = false;
      const controller = new AbortController();
      const jobs: Promise<unknown>[] = [];
      let settled = 0;
      const rows = Math.min(rpm * 3, 3000);
      let sentAfterStop = 0;
      let stopped = false;
      const add = (): void => {
        const p = limiter.scheduleIf(
          () => !down || inProgress < 8,
          async () => {
            if (stopped) sentAfterStop++;
            starts.push(performance.now());
            inProgress++;
            if (down) most = Math.max(most, inProgress);
            await new Promise((r) => setTimeout(r, random() * 3000));
            inProgress--;
          },
          controller.signal,
        );
        jobs.push(p.then((v) => { settled++; if (v === NOT_ADMITTED) add(); }, () => { settled++; }));
      };
      for (let i = 0; i < rows; i++) {
        if (random() < 0.3) add();
        if (random() < 0.02) await vi.advanceTimersByTimeAsync(random() * 120_000); // idle minutes
        const e = random();
        if (e < 0.005) limiter.holdFor(random() * 30_000);
        else if (e < 0.01) limiter.slowDown();
        else if (e < 0.015) down = !down;
        if (random() < 0.2) await vi.advanceTimersByTimeAsync(random() * 200);
      }
      await vi.advanceTimersByTimeAsync(random() * 60_000);
      stopped = true;
      controller.abort();
      await limiter.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      await Promise.all(jobs);
      starts.sort((a, b) => a - b);
      let peak = 0;
      for (let i = 0, j = 0; i < starts.length; i++) {
        while (j < starts.length && (starts[j] as number) < (starts[i] as number) + 60_000) j++;
        peak = Math.max(peak, j - i);
      }
      let minGap = Infinity;
      for (let i = 1; i < starts.length; i++) minGap = Math.min(minGap, (starts[i] as number) - (starts[i - 1] as number));
      expect(peak).toBeLessThanOrEqual(rpm);
      expect(settled).toBe(jobs.length);
      expect(sentAfterStop).toBe(0);
      expect(minGap).toBeGreaterThanOrEqual(54_000 / rpm - 2);
      expect(most).toBeLessThanOrEqual(8);
    }, 60_000);
  }
});
