// When the service answers again after it looked down, the rows waiting to retry a 5xx are tried again at once, through
// the limiter, not after the rest of their wait (up to 60 s): the output, written in input order, waited for them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { RequestLimiter } from '../src/scoring/limiter.js';
import type { RetryPolicy } from '../src/scoring/retry.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';
import { captureLog } from './support/shared-limiter-fixture.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };
const FAKE: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] };

interface Sent { text: string; at: number; answered: boolean }

/** A scorer that answers what `answer` says for each text at the fake clock's time, and records what it was sent, when. */
function scriptedScorer(answer: (text: string, at: number) => ScoringError | undefined): { scorer: Scorer; sent: Sent[] } {
  const sent: Sent[] = [];
  const scorer = {
    modelId: 'workers-ai:test',
    remote: true,
    score: async (text: string) => {
      const at = performance.now();
      const error = answer(text, at);
      sent.push({ text, at, answered: error === undefined });
      if (error) throw error;
      return SCORES;
    },
    close: async () => undefined,
  } as unknown as Scorer;
  return { scorer, sent };
}

/** Scores `texts` through one RowScorer on the fake clock, `runMs` of it, and returns the outcomes and the log. */
async function scoreAll(scorer: Scorer, texts: string[], options: { rpm: number; concurrency: number; retry: RetryPolicy; runMs: number }) {
  const { log, lines } = captureLog();
  const limiter = new RequestLimiter({ rpm: options.rpm, concurrency: options.concurrency });
  const rows = new RowScorer({ scorer, limiter, retry: options.retry, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
  try {
    const all = Promise.all(texts.map((text, index) => rows.score(text, index)));
    await vi.advanceTimersByTimeAsync(options.runMs);
    return { outcomes: await all, lines };
  } finally {
    await limiter.stop();
  }
}

const outage = (): ScoringError =>
  new ScoringError('retry', 'http_503', 'Workers AI failed transiently (HTTP 503, code 3043)', { status: 503, cfCode: 3043, retryAfterMs: 300_000 });

afterEach(() => vi.useRealTimers());

describe('rows waiting to retry when the service answers again', () => {
  // operator32: 10 min of 503 `Retry-After: 300` at --rpm 1200; after "the service answers again" the 8 rows in progress
  // slept out their 60 s, and the scored count stood still ~20 s while ~460 answers were kept in memory.
  it('a 503\'s Retry-After wait ends at the first answer: each row is retried at the limiter\'s spacing, no request more', async () => {
    vi.useFakeTimers(FAKE);
    // Down until 63.5 s: rows 0-7 go out a second apart (--rpm 60), fail, and the service looks down (8 in a row);
    // their retries, 60 s later (the Retry-After cut to a retry's longest wait), fail until row 4's at 63.8 s is answered.
    const upAt = 63_500;
    const { scorer, sent } = scriptedScorer((_text, at) => (at < upAt ? outage() : undefined));
    const texts = Array.from({ length: 10 }, (_, i) => `row ${i}`);
    const { outcomes, lines } = await scoreAll(scorer, texts, { rpm: 60, concurrency: 8, retry: { maxAttempts: 6 }, runMs: 400_000 });
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'scored' });
    const firstAnswer = Math.min(...sent.filter((s) => s.answered).map((s) => s.at));
    expect(firstAnswer).toBeGreaterThanOrEqual(upAt);
    expect(firstAnswer).toBeLessThan(upAt + 1_000);
    const infos = lines().filter((line) => line.level === 30).map((line) => line.msg);
    expect(infos).toContain('the service answers again: sending new rows');
    // Every row answered within 10 rows' spacing of the first answer: the woken retries queue at the limiter, a second
    // apart (--rpm 60), never together. Before, rows 0-3 slept until 120-123 s.
    const answeredAt = texts.map((text) => (sent.find((s) => s.text === text && s.answered) as Sent).at);
    for (const at of answeredAt) expect(at - firstAnswer).toBeLessThanOrEqual(10_000);
    // Woken before the rows held back are let go, in input order: the output waits for the earliest row first.
    expect(sent.filter((s) => s.at > firstAnswer).map((s) => s.text)).toEqual(['row 0', 'row 1', 'row 2', 'row 3', 'row 5', 'row 6', 'row 7', 'row 8', 'row 9']);
    const after = sent.filter((s) => s.at >= firstAnswer).map((s) => s.at);
    for (const [i, at] of after.slice(1).entries()) expect(at - (after[i] as number)).toBeGreaterThanOrEqual(900);
    // As many requests as when the rows slept their wait out: rows 0-3 three, rows 4-7 two, rows 8-9 (held back) one.
    expect(sent).toHaveLength(4 * 3 + 4 * 2 + 2);
  });

  // A 429 that asks this job to slow down (3021, or no code) keeps its wait: the service said how fast this job may go,
  // and an outage ending elsewhere says nothing about it (docs/workers-ai.md: the wait is honoured).
  it('a row backing off a 429 code 3021 keeps its wait', async () => {
    vi.useFakeTimers(FAKE);
    // The 500s ask for 1 s (Retry-After), the 429 asks for none: its backoff is 30 s, no jitter.
    const upAt = 2_500;
    const { scorer, sent } = scriptedScorer((text, at) => {
      if (text === 'limited' && !sent.some((s) => s.text === 'limited')) {
        return new ScoringError('retry', 'rate_limited', 'Workers AI per-minute request limit reached (HTTP 429, code 3021)', { status: 429, cfCode: 3021 });
      }
      return at < upAt ? new ScoringError('retry', 'http_500', 'Workers AI failed transiently (HTTP 500)', { status: 500, retryAfterMs: 1_000 }) : undefined;
    });
    const texts = ['limited', ...Array.from({ length: 9 }, (_, i) => `row ${i}`)];
    const retry = { maxAttempts: 6, baseMs: 30_000, maxMs: 30_000, random: () => 0 };
    const { outcomes, lines } = await scoreAll(scorer, texts, { rpm: 6_000, concurrency: 16, retry, runMs: 400_000 });
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'scored' });
    expect(lines().map((line) => line.msg)).toContain('the service answers again: sending new rows');
    const limited = sent.filter((s) => s.text === 'limited');
    expect(limited).toHaveLength(2);
    expect((limited[1] as Sent).at - (limited[0] as Sent).at).toBeGreaterThanOrEqual(30_000);
  });
});
