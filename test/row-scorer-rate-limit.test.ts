// A 429 code 3021 with Retry-After holds every request of the job, not only the refused row's retry.
import { describe, expect, it } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { RequestLimiter } from '../src/scoring/limiter.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };

describe('RowScorer and a 3021 with Retry-After', () => {
  // Before, the job went on sending new rows into the account's full window while the refused row waited:
  // against `serve --rpm 20`, 160 of 250 requests were answered 429 for 90 rows.
  it('sends nothing else until the wait the service asked for is over', async () => {
    const started = performance.now();
    const sent: Array<{ text: string; at: number }> = [];
    let refused = false;
    const scorer = {
      modelId: 'workers-ai:test',
      remote: true,
      score: async (text: string) => {
        sent.push({ text, at: performance.now() - started });
        if (text === 'first' && !refused) {
          refused = true;
          throw new ScoringError('retry', 'rate_limited', 'Workers AI per-minute request limit reached (HTTP 429, code 3021)', { status: 429, cfCode: 3021, retryAfterMs: 600 });
        }
        return SCORES;
      },
      close: async () => undefined,
    } as unknown as Scorer;
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3 }, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate' });
    try {
      const first = rows.score('first', 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = rows.score('second', 1);
      expect(await first).toMatchObject({ kind: 'scored' });
      expect(await second).toMatchObject({ kind: 'scored' });
    } finally {
      await limiter.stop();
    }
    const refusedAt = (sent[0] as { at: number }).at;
    const secondAt = (sent.find((s) => s.text === 'second') as { at: number }).at;
    expect(sent.map((s) => s.text)).toEqual(['first', 'second', 'first']);
    expect(secondAt - refusedAt).toBeGreaterThanOrEqual(550);
  });
});

describe('RowScorer and a stop during a Retry-After wait', () => {
  // What e2e-paid-answers cannot tell apart without a clock: the client caps a Retry-After at 60 s, less than that
  // test's own timeout. Here the cap is ten minutes, and so is the wait: only the stop can end it within the test.
  it('a stop ends the wait at once: the row is abandoned (the next run scores it), and nothing more is sent', async () => {
    let calls = 0;
    let refused!: () => void;
    const sentOnce = new Promise<void>((resolve) => (refused = resolve));
    const scorer = {
      modelId: 'workers-ai:test',
      remote: true,
      score: async () => {
        calls += 1;
        refused();
        throw new ScoringError('retry', 'capacity', 'Workers AI is out of capacity (HTTP 429, code 3040)', { status: 429, cfCode: 3040, retryAfterMs: 600_000 });
      },
      close: async () => undefined,
    } as unknown as Scorer;
    const stop = new StopController();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3, maxRetryAfterMs: 600_000 }, stop, totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate' });
    try {
      const row = rows.score('told to wait ten minutes', 0);
      await sentOnce;
      stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
      expect(await row).toEqual({ kind: 'abandoned' });
      expect(calls).toBe(1);
    } finally {
      await limiter.stop();
    }
  });
});
