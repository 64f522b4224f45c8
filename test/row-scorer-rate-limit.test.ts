// A 429 code 3021 with Retry-After holds every request of the job, not only the refused row's retry.
import Bottleneck from 'bottleneck';
import { describe, expect, it, vi } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { RowScorer } from '../src/job/row-scorer.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { captureLog } from './support/shared-limiter-fixture.js';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { SharedSlots } from '../src/scoring/redis-slots.js';
import { SharedBottleneck } from '../src/scoring/shared-limiter.js';
import type { RetryPolicy } from '../src/scoring/retry.js';
import type { Scorer, Scores } from '../src/scoring/scorer.js';
import { emptyTotals } from '../src/state/totals.js';

const SCORES: Scores = { label: 'POSITIVE', positive: 0.9, negative: 0.1 };

/**
 * A scorer that answers `refusedText` (each of them) once with a 429 code 3021 and a Retry-After, `answerAfterMs` after
 * it was sent, and records what it was sent, when.
 */
function refusingOnce(refusedText: string | string[], retryAfterMs: number, answerAfterMs = 0): { scorer: Scorer; sent: Array<{ text: string; at: number }> } {
  const sent: Array<{ text: string; at: number }> = [];
  const toRefuse = new Set([refusedText].flat());
  const scorer = {
    modelId: 'workers-ai:test',
    remote: true,
    score: async (text: string) => {
      sent.push({ text, at: performance.now() });
      if (toRefuse.delete(text)) {
        if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
        throw new ScoringError('retry', 'rate_limited', 'Workers AI per-minute request limit reached (HTTP 429, code 3021)', { status: 429, cfCode: 3021, retryAfterMs });
      }
      return SCORES;
    },
    close: async () => undefined,
  } as unknown as Scorer;
  return { scorer, sent };
}

/** Scores 'first', then 'second' 100 ms later, through one RowScorer; both must be scored. */
async function firstThenSecond(scorer: Scorer, retry: RetryPolicy): Promise<void> {
  const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
  const rows = new RowScorer({ scorer, limiter, retry, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate' });
  try {
    const first = rows.score('first', 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = rows.score('second', 1);
    expect(await first).toMatchObject({ kind: 'scored' });
    expect(await second).toMatchObject({ kind: 'scored' });
  } finally {
    await limiter.stop();
  }
}

describe('RowScorer and a 3021 with Retry-After', () => {
  // Before, the job went on sending new rows into the account's full window while the refused row waited:
  // against `serve --rpm 20`, 160 of 250 requests were answered 429 for 90 rows.
  it('sends nothing else until the wait the service asked for is over', async () => {
    const { scorer, sent } = refusingOnce('first', 600);
    await firstThenSecond(scorer, { maxAttempts: 3 });
    const refusedAt = (sent[0] as { at: number }).at;
    const secondAt = (sent.find((s) => s.text === 'second') as { at: number }).at;
    // The refused row's retry first: it was read before 'second', and the output, written in input order, waits for it.
    expect(sent.map((s) => s.text)).toEqual(['first', 'first', 'second']);
    expect(secondAt - refusedAt).toBeGreaterThanOrEqual(550);
  });

  // A Retry-After of 0 (or an HTTP date already past) asks for no wait (retry.ts backs the row off as without one): the
  // job was held for that row's backoff all the same, where a 429 without the header holds nothing; against a proxy
  // answering 3 in 10 requests so, 102 rows at --concurrency 1 took 40.4 s where the same 429s without the header took 11.2 s.
  it('a Retry-After of 0 holds only the refused row, as a 429 without one', async () => {
    const { scorer, sent } = refusingOnce('first', 0);
    await firstThenSecond(scorer, { maxAttempts: 3, baseMs: 800, random: () => 0 });
    expect(sent.map((s) => s.text)).toEqual(['first', 'second', 'first']);
  });

  // Rows that had taken a concurrency slot before the hold waited in it: at the hold's end they all went out at once,
  // ahead of the refused row's retry, which had no slot (operator24: 48 new requests at once, 0 retries, the row that
  // met the 429 retried only at the next hold's end). On a fake clock: the spacing seen is bottleneck's, whatever the machine's load.
  // The Redis-shared limiter holds through the same RequestLimiter, its bottleneck a SharedBottleneck: here over a local
  // "shared" bottleneck, as without Redis (the Redis tests skip) only the group's datastore differs.
  const sharedOverLocal = (): Bottleneck =>
    new SharedBottleneck({ maxConcurrent: 4, minTime: 50 }, new SharedSlots(new Bottleneck({ minTime: 50 }), 90_000, 'local'), new Bottleneck(), async () => undefined, 'test');
  it.each([
    ['its own bottleneck', undefined],
    ['a shared bottleneck (--redis)', sharedOverLocal],
  ])('after the wait, the refused row goes first, then the rows in order, at the limiter\'s spacing, not in a burst: %s', async (_name, bottleneck) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
    const { scorer, sent } = refusingOnce('row 0', 400);
    // 1,200 a minute: starts at least 45 ms apart (0.9 × 50 ms: the window's gap locally, bottleneck's when shared).
    const limiter = new RequestLimiter({ rpm: 1_200, concurrency: 4, ...(bottleneck ? { bottleneck: bottleneck() } : {}) });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3 }, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate' });
    const texts = ['row 0', 'row 1', 'row 2', 'row 3', 'row 4', 'row 5', 'row 6'];
    try {
      const all = Promise.all(texts.map((text, index) => rows.score(text, index)));
      // Far past the hold and the seven starts: the fake clock runs every timer due by then, so the load of the
      // machine changes no time seen here.
      await vi.advanceTimersByTimeAsync(5_000);
      // A wait on a timer the fake clock does not run (node:timers/promises) then ends in real time.
      vi.useRealTimers();
      const outcomes = await all;
      for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'scored' });
    } finally {
      vi.useRealTimers();
      await limiter.stop();
    }
    expect(sent.map((s) => s.text)).toEqual(texts.slice(0, 1).concat(texts));
    const afterHold = sent.slice(1).map((s) => s.at);
    const gaps = afterHold.slice(1).map((at, i) => at - (afterHold[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(40);
  });

  // --rpm 2 fills the job's own 60 s window: 'row 2' waits in it (bottleneck started it at 54 s, the window lets it go
  // at 60.5 s) when row 1's 429 arrives at 57 s. It gives its slot back too, instead of going out at the hold's end,
  // before the retry.
  it('a row waiting for the job\'s own full window when the hold begins goes after the retry, not at the hold\'s end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
    const { scorer, sent } = refusingOnce('row 1', 40_000, 30_000);
    const limiter = new RequestLimiter({ rpm: 2, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3 }, stop: new StopController(), totals: emptyTotals(), log: createLogger('silent'), longText: 'truncate' });
    // Four rows, their turns (0, 27, 54, 81 s) all before the hold's end (57-97 s); test/limiter-retry-order.test.ts has the
    // rows whose turn comes after it.
    const texts = ['row 0', 'row 1', 'row 2', 'row 3'];
    try {
      const all = Promise.all(texts.map((text, index) => rows.score(text, index)));
      await vi.advanceTimersByTimeAsync(400_000);
      vi.useRealTimers();
      for (const outcome of await all) expect(outcome).toMatchObject({ kind: 'scored' });
    } finally {
      vi.useRealTimers();
      await limiter.stop();
    }
    expect(sent.map((s) => s.text)).toEqual(['row 0', 'row 1', 'row 1', 'row 2', 'row 3']);
    const afterHold = sent.slice(2).map((s) => s.at);
    // Never two at once after the hold: the limiter's spacing.
    for (const [i, at] of afterHold.slice(1).entries()) expect(at - (afterHold[i] as number)).toBeGreaterThanOrEqual(27_000);
  });
});

// A nightly log (--progress off) stayed silent through a hold, a request a minute against a Retry-After of up to 15 min.
// The CLI's line is test/e2e-long-retry-after.test.ts's (slow tier); here, what decides it: the wait held, once per hold.
describe('RowScorer and a Retry-After of 10 s or more', () => {
  /** The warn lines of four rows scored at --rpm 1200 while `refused` are answered 429 with `retryAfterMs`, 200 ms after they were sent. */
  async function holdWarnings(refused: string[], retryAfterMs: number): Promise<string[]> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
    const { scorer } = refusingOnce(refused, retryAfterMs, 200);
    const { log, lines } = captureLog();
    const limiter = new RequestLimiter({ rpm: 1_200, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3 }, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
    try {
      const all = Promise.all(['row 0', 'row 1', 'row 2', 'row 3'].map((text, index) => rows.score(text, index)));
      await vi.advanceTimersByTimeAsync(2 * retryAfterMs);
      vi.useRealTimers();
      for (const outcome of await all) expect(outcome).toMatchObject({ kind: 'scored' });
    } finally {
      vi.useRealTimers();
      await limiter.stop();
    }
    return lines().filter((line) => line.level === 40).map((line) => line.msg);
  }

  it('is said once at warn, from 10 s on, though two rows in flight met it', async () => {
    expect(await holdWarnings(['row 0', 'row 1'], 10_000)).toEqual([
      'the service rate-limited this job (HTTP 429, code 3021) and asks to wait 10 s (Retry-After): no request is sent for 10 s then the refused row is tried again',
    ]);
  });

  it('past the 60 s a run waits at once, the line says the hold is that', async () => {
    expect(await holdWarnings(['row 0'], 90_000)).toEqual([
      'the service rate-limited this job (HTTP 429, code 3021) and asks to wait 1 min 30 s (Retry-After): no request is sent for 1 min 0 s, the longest a run waits at once, then the refused row is tried again',
    ]);
  });

  it('a shorter one is not said', async () => {
    expect(await holdWarnings(['row 0'], 9_000)).toEqual([]);
  });
});

// A 503 (or a 3040) asking to wait 5 min was retried a minute later with no line saying so (operator30: a 600 s
// Retry-After from a proxy, 10 min of retries each a minute apart, the wait named nowhere). The wait is still cut to
// the 60 s a retry waits at most (the official client's bound, docs/workers-ai.md); one warn line says so, and why.
/** A scorer that answers each of `texts` once with a 503 (code 3043) asking to wait `retryAfterMs`, every other text scored. */
function refusing503Once(texts: string[], retryAfterMs: number): Scorer {
  const refused = new Set(texts);
  return {
    modelId: 'workers-ai:test',
    remote: true,
    score: async (text: string) => {
      if (refused.delete(text)) throw new ScoringError('retry', 'http_503', 'Workers AI failed transiently (HTTP 503, code 3043)', { status: 503, cfCode: 3043, retryAfterMs });
      return SCORES;
    },
    close: async () => undefined,
  } as unknown as Scorer;
}

describe('RowScorer and a Retry-After longer than a retry waits, on an answer that holds no job', () => {
  // The retry's own wait is node:timers/promises' (no fake timers): its bound is 1 s here, the line's figure with it.
  it('is said once at warn, with the wait asked, the wait kept and what follows', async () => {
    const scorer = refusing503Once(['row 0', 'row 1'], 300_000);
    const { log, lines } = captureLog();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3, maxRetryAfterMs: 1_000 }, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
    try {
      const all = Promise.all(['row 0', 'row 1', 'row 2'].map((text, index) => rows.score(text, index)));
      for (const outcome of await all) expect(outcome).toMatchObject({ kind: 'scored' });
    } finally {
      await limiter.stop();
    }
    expect(lines().filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
      'Workers AI asks to wait 5 min 0 s before the next request (Retry-After): ' +
        "a retry waits at most 1 s (as Cloudflare's own client does), so the rows refused are tried again before then, " +
        'each up to 3 attempts in all; a row still refused fails, and the next run sends it again. It answered: Workers AI failed transiently (HTTP 503, code 3043)',
    ]);
  });
});

// The line is for a wait cut short: a Retry-After no longer than a retry's own wait is kept whole, and says nothing.
describe('RowScorer and a Retry-After a retry keeps whole', () => {
  it('says no line when the wait asked is the longest a retry waits, to the millisecond', async () => {
    const scorer = refusing503Once(['row 0'], 1_000);
    const { log, lines } = captureLog();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3, maxRetryAfterMs: 1_000 }, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
    try {
      expect(await rows.score('row 0', 0)).toMatchObject({ kind: 'scored' });
    } finally {
      await limiter.stop();
    }
    expect(lines().filter((line) => line.level === 40)).toEqual([]);
  });
});

// A long run met a second outage hours after the first: its cut wait was said nowhere, the line being once a run, and
// the log read the next morning explained the first outage's retries only. Said once an outage: again after an answer
// to a request sent after the line (the service answered again), not for each row refused meanwhile.
describe('RowScorer and a second outage asking a longer wait than a retry waits', () => {
  it('is said again after the service answered in between, once for the rows refused together', async () => {
    const refused = new Set(['first a', 'first b', 'second']);
    // Answers held until released: a row in flight beside the first refusal answered after its line, and a row of the
    // same outage refused after that answer.
    const gates = new Map(['first a', 'beside', 'first b'].map((text) => {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((done) => (resolve = done));
      return [text, { promise, resolve }];
    }));
    const scorer = {
      modelId: 'workers-ai:test',
      remote: true,
      score: async (text: string) => {
        sent.push(text);
        await gates.get(text)?.promise;
        if (refused.delete(text)) throw new ScoringError('retry', 'http_503', 'Workers AI failed transiently (HTTP 503, code 3043)', { status: 503, cfCode: 3043, retryAfterMs: 300_000 });
        return SCORES;
      },
      close: async () => undefined,
    } as unknown as Scorer;
    const sent: string[] = [];
    const { log, lines } = captureLog();
    const warned = () => lines().filter((line) => line.level === 40).map((line) => line.msg);
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 4 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 3, maxRetryAfterMs: 1_000 }, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
    try {
      // The first outage: three rows sent together, one refused first.
      const first = Promise.all(['first a', 'first b', 'beside'].map((text, index) => rows.score(text, index)));
      await vi.waitFor(() => expect(sent).toHaveLength(3));
      gates.get('first a')?.resolve();
      await vi.waitFor(() => expect(warned()).toHaveLength(1));
      gates.get('beside')?.resolve();
      await new Promise((resolve) => setTimeout(resolve, 50));
      gates.get('first b')?.resolve();
      for (const outcome of await first) expect(outcome).toMatchObject({ kind: 'scored' });
      expect(warned()).toHaveLength(1);
      // The service answers again, then refuses again: the second outage.
      expect((await rows.score('between', 3)).kind).toBe('scored');
      expect((await rows.score('second', 4)).kind).toBe('scored');
    } finally {
      await limiter.stop();
    }
    expect(warned()).toHaveLength(2);
    for (const line of warned()) expect(line).toMatch(/^Workers AI asks to wait 5 min 0 s before the next request \(Retry-After\): a retry waits at most 1 s /);
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

// The hold's warning names answers that are not the model's only when the last 8 attempts all got one (remote-send.ts):
// the count restarts at any other outcome, so a service that answered between, then failed 8 times, "looks down".
describe('RowScorer and the outage hold\'s warning', () => {
  it('says answers are not the model\'s for 8 of them in a row, and the service looks down for 8 failures after an answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'] });
    let calls = 0;
    const scorer = {
      modelId: 'workers-ai:test',
      remote: true,
      score: async () => {
        calls += 1;
        if (calls <= 8) throw new ScoringError('retry', 'bad_answer', 'Workers AI sent a malformed answer: not JSON', { status: 200, foreignAnswer: true });
        if (calls === 9) return SCORES;
        throw new ScoringError('retry', 'server_error', 'Workers AI failed transiently (HTTP 500)', { status: 500 });
      },
      close: async () => undefined,
    } as unknown as Scorer;
    const { log, lines } = captureLog();
    const limiter = new RequestLimiter({ rpm: 60_000, concurrency: 1 });
    const rows = new RowScorer({ scorer, limiter, retry: { maxAttempts: 2 }, stop: new StopController(), totals: emptyTotals(), log, longText: 'truncate' });
    try {
      const all = Promise.all(Array.from({ length: 14 }, (_, index) => rows.score(`row ${index}`, index)));
      await vi.advanceTimersByTimeAsync(120_000);
      vi.useRealTimers();
      await all;
    } finally {
      vi.useRealTimers();
      await limiter.stop();
    }
    expect(calls).toBeGreaterThanOrEqual(17);
    const warned = lines().filter((line) => line.level === 40).map((line) => line.msg);
    expect(warned).toHaveLength(2);
    expect(warned[0]).toMatch(/^the last 8 attempts got an answer that is not the model's: /);
    expect(warned[1]).toMatch(/^the service looks down \(the last 8 attempts failed\): /);
  });
});
