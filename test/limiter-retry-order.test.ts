// A refused row's retry after a Retry-After hold goes first once the hold ends, before the rows that held a slot; and
// the rows waiting for their turn in the spacing are asked to start (the outage hold's admit) only when it comes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { NOT_ADMITTED } from '../src/scoring/not-admitted.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] } as Parameters<typeof vi.useFakeTimers>[0];

type Start = { name: string; at: number };

/**
 * On a fake clock: `rows` rows scheduled at once on a limiter of `rpm` and `concurrency`, then `body` with their starts and
 * `retry()`, which schedules a retry (ahead); the limiter stopped after.
 */
async function withRows(rpm: number, concurrency: number, rows: number, body: (starts: Start[], limiter: RequestLimiter, retry: () => void) => Promise<void>): Promise<void> {
  vi.useFakeTimers(FAKE);
  const limiter = new RequestLimiter({ rpm, concurrency });
  const starts: Start[] = [];
  const job = (name: string, ahead = false): Promise<void> => limiter.schedule(async () => void starts.push({ name, at: performance.now() }), undefined, { ahead });
  const jobs = Array.from({ length: rows }, (_, i) => job(`row ${i}`));
  try {
    await body(starts, limiter, () => void jobs.push(job('retry', true)));
  } finally {
    await limiter.stop();
    for (const pending of jobs) pending.catch(() => undefined);
  }
}

describe('RequestLimiter: a retry after a Retry-After hold', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // lowfix48/lowfix51: bottleneck had booked --concurrency rows 0.45 s apart when the run began (48 x 0.45 s = 21.6 s
  // ahead); those whose time fell after a 3 s hold went before the refused row's retry (41 requests, 24 s, `serve`).
  it('--rpm 120, --concurrency 48: the retry is the first start after the hold, not behind the rows that held a slot', async () => {
    await withRows(120, 48, 80, async (starts, limiter, retry) => {
      await vi.advanceTimersByTimeAsync(4_600);
      expect(starts.length).toBeGreaterThanOrEqual(9);
      limiter.holdFor(3_000);
      const holdEnds = performance.now() + 3_000;
      retry();
      await vi.advanceTimersByTimeAsync(30_000);
      const after = starts.filter((start) => start.at >= holdEnds);
      expect(starts.filter((start) => start.at > holdEnds - 3_000 && start.at < holdEnds)).toEqual([]);
      expect(after[0]?.name).toBe('retry');
      // At the hold's end, and the rows after it at the limiter's spacing (0.45 s, then 0.5 s), not in a burst.
      expect(after[0]?.at).toBeLessThan(holdEnds + 50);
      const gaps = after.slice(1, 20).map((start, i) => start.at - (after[i] as { at: number }).at);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(449);
    });
  });

  // At --rpm 10 a row waits up to 5.4 s for its turn: a 2 s hold that began meanwhile ended before that wait, and the
  // row, then every row behind it in the spacing, went before the retry.
  it('--rpm 10: a hold shorter than a row\'s wait for its turn still puts the retry first', async () => {
    await withRows(10, 8, 8, async (starts, limiter, retry) => {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(starts.map((start) => start.name)).toEqual(['row 0']);
      limiter.holdFor(2_000);
      retry();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(starts.map((start) => start.name).slice(0, 3)).toEqual(['row 0', 'retry', 'row 1']);
    });
  });

  // The outage hold counts a row in progress when its admit check says yes: asked when the row took a slot, up to
  // --concurrency rows waiting for their turn were counted, and went out during the hold (its "at most 8 in progress").
  it('--rpm 120, --concurrency 48: a row is asked to start when its turn comes, and one the check turns away sends nothing', async () => {
    vi.useFakeTimers(FAKE);
    const limiter = new RequestLimiter({ rpm: 120, concurrency: 48 });
    let open = true;
    const asked: { row: number; at: number }[] = [];
    const sent: { row: number; at: number }[] = [];
    const jobs = Array.from({ length: 40 }, (_, row) =>
      limiter.scheduleIf(
        () => (asked.push({ row, at: performance.now() }), open),
        async () => void sent.push({ row, at: performance.now() }),
      ),
    );
    try {
      await vi.advanceTimersByTimeAsync(5_000);
      // Starts every 0.45-0.5 s: 11 in 5 s, each asked as it starts, none of the 29 others asked yet.
      expect(sent.length).toBeGreaterThanOrEqual(10);
      expect(asked).toEqual(sent);
      open = false;
      await vi.advanceTimersByTimeAsync(5_000);
      const outcomes = await Promise.all(jobs);
      expect(outcomes.filter((outcome) => outcome === NOT_ADMITTED)).toHaveLength(40 - sent.length);
      expect(sent.every((start) => start.at < 5_000)).toBe(true);
    } finally {
      await limiter.stop();
      for (const job of jobs) job.catch(() => undefined);
    }
  });
});
