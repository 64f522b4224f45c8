// A refused row's retry after a Retry-After hold goes first once the hold ends, before the rows that held a slot; and
// the rows waiting for their turn in the spacing are asked to start (the outage hold's admit) only when it comes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { NOT_ADMITTED } from '../src/scoring/not-admitted.js';
import type { SharedBottleneck } from '../src/scoring/shared-limiter.js';
import { sharedOverLocal } from './support/shared-limiter-fixture.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] } as Parameters<typeof vi.useFakeTimers>[0];

type Start = { name: string; at: number };

/** The limits each case runs on: a job's own, and a Redis-shared one's over its stand-in. */
const LIMITS: Array<[string, ((rpm: number, concurrency: number) => SharedBottleneck) | undefined]> = [
  ['its own limit', undefined],
  ['a shared limit (--redis)', sharedOverLocal],
];

/**
 * On a fake clock: `rows` rows scheduled at once on a limiter of `rpm` and `concurrency` (`shared`: a Redis-shared one's,
 * over its stand-in), then `body` with their starts and `retry()`, which schedules a retry (ahead); the limiter stopped after.
 */
async function withRows(rpm: number, concurrency: number, rows: number, body: (starts: Start[], limiter: RequestLimiter, retry: () => void) => Promise<void>, shared?: (rpm: number, concurrency: number) => SharedBottleneck): Promise<void> {
  vi.useFakeTimers(FAKE);
  const limiter = new RequestLimiter({ rpm, concurrency, ...(shared ? { bottleneck: shared(rpm, concurrency) } : {}) });
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
  // The shared limit (--redis) booked its rows the same way, in its local bottleneck (60 s / rpm apart), and the group's
  // in Redis books a start when a row asks for it: 42 requests in the 24.6 s between the 429 and its retry (`serve`).
  it.each(LIMITS)('--rpm 120, --concurrency 48: the retry is the first start after the hold, not behind the rows that held a slot: %s', async (_name, shared) => {
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
    }, shared);
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

  // A retry after a 5xx's backoff (no hold) queued behind the rows waiting for their turn in the spacing, at most
  // --concurrency: 48 requests in the 24.5 s before it against `serve` (lowfix57). Its row holds the output's order back.
  it.each(LIMITS)('--rpm 120, --concurrency 48: a retry without a hold goes before the rows waiting for their turn: %s', async (_name, shared) => {
    await withRows(120, 48, 80, async (starts, _limiter, retry) => {
      await vi.advanceTimersByTimeAsync(4_600);
      const before = starts.length;
      retry();
      await vi.advanceTimersByTimeAsync(30_000);
      // The row whose turn was coming, then the retry: it needs a --concurrency slot, and the next start frees one.
      expect(starts.slice(before, before + 3).map((start) => start.name)).toContain('retry');
    }, shared);
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
