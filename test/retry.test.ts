// The retry policy: pure delay arithmetic and the withRetries loop (with an injected sleep: no real waiting).
import { describe, expect, it } from 'vitest';
import { ConfigError, ScoringError, SentimentBatchError } from '../src/errors.js';
import { abortableSleep, giveUp, retryDelayMs, shouldRetry, waitBeyondCap, withRetries, type RetryHooks } from '../src/scoring/retry.js';
import { parseAnswer } from '../src/scoring/answer.js';
import { classifyTransportError } from '../src/scoring/classify.js';

const retryable = (rowCode = 'http_500', retryAfterMs?: number) =>
  new ScoringError('retry', rowCode, `failed ${rowCode}`, { status: 500, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('retryDelayMs', () => {
  it('doubles from baseMs and stops at maxMs without jitter', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, undefined, noJitter))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(retryDelayMs(20, undefined, noJitter)).toBe(30_000);
    expect(retryDelayMs(3, undefined, noJitter, { baseMs: 100, maxMs: 250 })).toBe(250);
  });

  it('removes at most 25 % as jitter', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const full = Math.min(500 * 2 ** (attempt - 1), 30_000);
      for (const r of [0, 0.1, 0.5, 0.999999]) {
        const delay = retryDelayMs(attempt, undefined, () => r);
        expect(delay).toBeLessThanOrEqual(full);
        expect(delay).toBeGreaterThanOrEqual(full * 0.75);
      }
    }
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(875);
    // Default randomness stays within bounds too.
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(1, undefined);
      expect(delay).toBeGreaterThanOrEqual(375);
      expect(delay).toBeLessThanOrEqual(500);
    }
  });

  it('honours Retry-After as given, capped at 60 s by default', () => {
    expect(retryDelayMs(1, 2000, () => 0.9)).toBe(2000);
    expect(retryDelayMs(1, 3_600_000)).toBe(60_000);
    expect(retryDelayMs(1, 90_000, Math.random, { maxRetryAfterMs: 10_000 })).toBe(10_000);
    expect(retryDelayMs(1, Number.NaN, () => 0)).toBe(500);
  });

  // `Retry-After: 0`, or an HTTP date already past (a server whose clock is behind), asks for no wait: taken as given,
  // a row's 6 attempts went out within milliseconds. Against a server answering 503 so for its first 6 s, 40 rows lost
  // 13-24 rows (exit 5 once) in 120-164 requests, where the same 503 without the header lost none in 68 (2026-12-07).
  it('backs off as without one when Retry-After asks for no wait', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, 0, () => 0))).toEqual([500, 1000, 2000, 4000, 8000]);
  });
});

describe('shouldRetry', () => {
  it('retries only retryable errors with attempts left', () => {
    expect(shouldRetry(retryable(), 1, 3)).toBe(true);
    expect(shouldRetry(retryable(), 3, 3)).toBe(false);
    expect(shouldRetry(retryable('aborted'), 1, 3)).toBe(false);
    expect(shouldRetry(new ScoringError('row', 'bad_input', 'x'), 1, 3)).toBe(false);
    expect(shouldRetry(new ScoringError('pause', 'daily_quota', 'x'), 1, 3)).toBe(false);
    expect(shouldRetry(new ScoringError('fatal', 'auth', 'x'), 1, 3)).toBe(false);
    expect(shouldRetry(new Error('bug'), 1, 3)).toBe(false);
  });
});

/** Records sleeps instead of waiting. */
function recorder() {
  const sleeps: number[] = [];
  const retries: [string, number, number][] = [];
  const hooks: RetryHooks = {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (error, attempt, delayMs) => retries.push([error.rowCode, attempt, delayMs]),
  };
  return { sleeps, retries, hooks };
}

describe('withRetries', () => {
  it('returns the first success and counts attempts', async () => {
    const { sleeps, retries, hooks } = recorder();
    const attempts: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw retryable(attempt === 1 ? 'capacity' : 'rate_limited', attempt === 2 ? 1234 : undefined);
        return 'ok';
      },
      { maxAttempts: 5, random: () => 0 },
      hooks,
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries).toEqual([
      ['capacity', 1, 500],
      ['rate_limited', 2, 1234],
    ]);
    expect(sleeps).toEqual([500, 1234]);
  });

  it.each([
    new ScoringError('row', 'bad_input', 'bad'),
    new ScoringError('pause', 'daily_quota', 'quota'),
    new ScoringError('fatal', 'auth', 'token'),
    new TypeError('a bug'),
  ])('rethrows %s at once', async (error) => {
    const { sleeps, hooks } = recorder();
    let calls = 0;
    const outcome = withRetries(
      async () => {
        calls++;
        throw error;
      },
      { maxAttempts: 5 },
      hooks,
    );
    await expect(outcome).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('turns a still-retryable error into a row failure after maxAttempts', async () => {
    const { sleeps, hooks } = recorder();
    let calls = 0;
    const last = retryable('http_500');
    const error = await withRetries(
      async () => {
        calls++;
        throw calls === 4 ? last : retryable('http_500');
      },
      { maxAttempts: 4, random: () => 0 },
      hooks,
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(error).toBeInstanceOf(ScoringError);
    expect(error).toMatchObject({ kind: 'row', rowCode: 'http_500', status: 500 });
    expect((error as Error).message).toBe('failed http_500 (gave up after 4 attempts)');
    expect((error as Error).cause).toBe(last);
  });

  it('with maxAttempts 1 never sleeps', async () => {
    const { sleeps, hooks } = recorder();
    // One attempt is "1 attempt", not "1 attempts" (the message lands in the output's error column).
    await expect(withRetries(async () => Promise.reject(retryable('http_500')), { maxAttempts: 1 }, hooks)).rejects.toMatchObject({ kind: 'row', message: 'failed http_500 (gave up after 1 attempt)' });
    expect(sleeps).toEqual([]);
  });

  it('rejects a bad maxAttempts', async () => {
    await expect(withRetries(async () => 1, { maxAttempts: 0 })).rejects.toBeInstanceOf(ConfigError);
  });

  it('an abort stops a real sleep at once and reports interrupted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const outcome = withRetries(
      async () => {
        calls++;
        throw retryable('capacity', 60_000);
      },
      { maxAttempts: 5 },
      { signal: controller.signal, onRetry: () => setImmediate(() => controller.abort()) },
    );
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentimentBatchError);
    expect(error).not.toBeInstanceOf(ScoringError);
    expect((error as SentimentBatchError).code).toBe('interrupted');
    expect(calls).toBe(1);
  });

  it('does not start an attempt once aborted, and an aborted attempt is not retried', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const fn = async () => {
      calls++;
      return 1;
    };
    await expect(withRetries(fn, { maxAttempts: 3 }, { signal: controller.signal })).rejects.toMatchObject({ code: 'interrupted' });
    expect(calls).toBe(0);
    const { sleeps, hooks } = recorder();
    await expect(withRetries(async () => Promise.reject(retryable('aborted')), { maxAttempts: 3 }, hooks)).rejects.toMatchObject({
      code: 'interrupted',
    });
    expect(sleeps).toEqual([]);
  });
});

describe('helpers', () => {
  it('giveUp keeps status and code', () => {
    const error = giveUp(new ScoringError('retry', 'capacity', 'busy', { status: 429, cfCode: 3040, retryAfterMs: 5 }), 6);
    expect(error).toMatchObject({ kind: 'row', rowCode: 'capacity', status: 429, cfCode: 3040, retryAfterMs: undefined });
  });

  it('abortableSleep rejects when aborted', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow();
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });
});

describe('withRetries during shutdown', () => {
  it('passes final answers and foreign errors through unchanged while aborted', async () => {
    const rowError = new ScoringError('row', 'bad_input', 'bad');
    const own = new SentimentBatchError('budget', 'budget used up');
    for (const error of [rowError, own]) {
      const controller = new AbortController();
      const outcome = withRetries(
        async () => {
          controller.abort();
          throw error;
        },
        { maxAttempts: 3 },
        { signal: controller.signal },
      );
      await expect(outcome).rejects.toBe(error);
    }
  });
});

describe('a Retry-After longer than a run waits', () => {
  const busy = (retryAfterMs: number | undefined) =>
    new ScoringError('retry', 'capacity', 'Workers AI is temporarily out of capacity (HTTP 429, code 3040)', {
      status: 429,
      cfCode: 3040,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });

  it('pauses the job at the first such answer instead of retrying a minute at a time (exit 75, try later)', async () => {
    const { sleeps, hooks } = recorder();
    let attempts = 0;
    const outcome = withRetries(
      async () => {
        attempts++;
        throw busy(3_600_000);
      },
      { maxAttempts: 6 },
      hooks,
    );
    const error = await outcome.catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expect(error).toBeInstanceOf(ScoringError);
    expect(error).toMatchObject({ kind: 'pause', rowCode: 'capacity', status: 429, cfCode: 3040, code: 'retry_later', exitCode: 75 });
    expect((error as Error).message).toMatch(
      /^Workers AI asks to wait 1 h 0 min before the next request \(Retry-After\), longer than the 15 min a run keeps retrying through: run the same command again after \d{4}-\d\d-\d\d \d\d:\d\d UTC to resume\. It answered: Workers AI is temporarily out of capacity \(HTTP 429, code 3040\)$/,
    );
  });

  it('waits out one within the cap, and the cap is the policy\'s', async () => {
    const { sleeps, hooks } = recorder();
    const result = await withRetries(
      async (attempt) => {
        if (attempt === 1) throw busy(60_000);
        if (attempt === 2) throw busy(5_000);
        return 'ok';
      },
      { maxAttempts: 6 },
      hooks,
    );
    expect(result).toBe('ok');
    expect(sleeps).toEqual([60_000, 5_000]);
    await expect(withRetries(async () => Promise.reject(busy(5_000)), { maxAttempts: 6, maxRetryAfterMs: 1_000, pauseBeyondMs: 1_000 }, hooks)).rejects.toMatchObject({ kind: 'pause' });
  });

  // A block of a few minutes (Cloudflare's API blocks a client for five) is retried through, each wait capped at 60 s,
  // as before 2026-12-05: pausing the run for it would leave a nightly run stopped for the rest of the night.
  it('retries a wait of up to 15 minutes, each wait capped, and pauses beyond it', async () => {
    const { sleeps, hooks } = recorder();
    const result = await withRetries(
      async (attempt) => {
        if (attempt <= 2) throw busy(300_000);
        if (attempt === 3) throw busy(900_000);
        return 'ok';
      },
      { maxAttempts: 6 },
      hooks,
    );
    expect(result).toBe('ok');
    expect(sleeps).toEqual([60_000, 60_000, 60_000]);
    await expect(withRetries(async () => Promise.reject(busy(900_001)), { maxAttempts: 6 }, hooks)).rejects.toMatchObject({ kind: 'pause', code: 'retry_later' });
  });

  it('says the time to come back, in UTC', () => {
    const error = waitBeyondCap(busy(2 * 3_600_000), {}, Date.parse('2026-12-05T23:30:00Z'));
    expect(error?.message).toMatch(/run the same command again after 2026-12-06 01:30 UTC to resume\. /);
    expect(waitBeyondCap(busy(undefined), {})).toBeUndefined();
  });

  it('rounds the time to come back up to the minute, never to a minute the wait has not reached', () => {
    // A Retry-After of 901 s at 15:47:16 ends at 16:02:17: "after 16:02" sent a rerun up to 59 s too early, into the same wait.
    expect(waitBeyondCap(busy(901_000), {}, Date.parse('2026-12-05T15:47:16Z'))?.message).toMatch(/ again after 2026-12-05 16:03 UTC to resume\. /);
    expect(waitBeyondCap(busy(3_600_000), {}, Date.parse('2026-12-05T23:59:30Z'))?.message).toMatch(/ again after 2026-12-06 01:00 UTC to resume\. /);
  });
});

describe('a complete answer that is not the model\'s', () => {
  // A proxy's page, JSON of another shape, a third label: complete, and most likely the same on the next try (and a 200
  // from the real API may be billed). Retried once, not maxAttempts times as a 5xx is; a body cut off on the way is
  // retried as before.
  const attemptsUntilGivenUp = async (make: () => unknown, maxAttempts = 6) => {
    const { hooks } = recorder();
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls += 1;
        throw make();
      },
      { maxAttempts },
      hooks,
    ).catch((e: unknown) => e);
    return { calls, error: error as ScoringError };
  };

  it.each([
    ['an HTML page', '<html><body>Welcome to the corporate proxy</body></html>'],
    ['a third label', JSON.stringify({ success: true, result: [{ label: 'POSITIVE', score: 0.05 }, { label: 'NEGATIVE', score: 0.05 }, { label: 'NEUTRAL', score: 0.9 }] })],
    ['success false', JSON.stringify({ success: false, errors: [{ code: 7000, message: 'No route' }] })],
  ])('%s is sent twice, then the row fails', async (_what, body) => {
    const { calls, error } = await attemptsUntilGivenUp(() => {
      try {
        parseAnswer(body);
      } catch (e) {
        return e;
      }
      throw new Error('parseAnswer accepted it');
    });
    expect(calls).toBe(2);
    expect(error).toMatchObject({ kind: 'row', rowCode: 'bad_answer' });
    expect(error.message).toMatch(/^Workers AI sent a malformed answer: .*\(gave up after 2 attempts\)$/);
  });

  it('--max-attempts 1 still sends it once', async () => {
    const { calls } = await attemptsUntilGivenUp(() => new ScoringError('retry', 'bad_answer', 'x', { foreignAnswer: true }), 1);
    expect(calls).toBe(1);
  });

  it('a body cut off on the way is retried maxAttempts times, as a 5xx is', async () => {
    const cut = () => classifyTransportError(Object.assign(new Error('terminated'), { code: 'UND_ERR_SOCKET' }), { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'body', bytesRead: 40, origin: 'http://x' });
    const { calls, error } = await attemptsUntilGivenUp(cut);
    expect(calls).toBe(6);
    expect(error).toMatchObject({ kind: 'row', rowCode: 'bad_answer' });
  });
});
