/**
 * The retry policy, as small pure functions plus one loop (`withRetries`).
 *
 * Rate limiting is NOT done here: the caller wraps each attempt in its limiter,
 * e.g. `withRetries(() => limiter.schedule(() => scorer.score(text, { signal })), policy, { signal, onRetry })`,
 * so every attempt, first or retry, counts against the request budget.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, ScoringError, SentimentBatchError } from '../errors.js';
import { counted } from '../wording/counted.js';
import { formatSeconds } from '../wording/seconds.js';

export interface RetryPolicy {
  /** Attempts per text, the first one included. Must be an integer ≥ 1. @default 6 */
  maxAttempts: number;
  /** Backoff after the first failed attempt, doubled per attempt. @default 500 */
  baseMs?: number;
  /** Ceiling of the exponential backoff. @default 30000 */
  maxMs?: number;
  /** Ceiling applied to a server's Retry-After. @default 60000 */
  maxRetryAfterMs?: number;
  /** A server's Retry-After longer than this pauses the run (exit 75) instead of being retried. @default 900000 */
  pauseBeyondMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
}

const DEFAULT_RETRY_POLICY = {
  maxAttempts: 6,
  baseMs: 500,
  maxMs: 30_000,
  maxRetryAfterMs: 60_000,
  pauseBeyondMs: 15 * 60_000,
} as const satisfies RetryPolicy;

/**
 * Attempts for a complete answer that is not the model's (ScoringError.foreignAnswer: a proxy's or captive portal's
 * HTML page, JSON of another shape, a third label, scores not summing to 1, a body over 1 MiB). Such an answer arrived whole: the next
 * try most likely gets the same, and a 200 from the real API may be billed. Until 2026-12-05 it was retried 6 times
 * like a 5xx: 333 requests for 58 rows before the stop that says the answers are not the model's
 * (job/foreign-answers.ts), against `serve --malformed-rate 1`. One retry still outlives a single garbled answer (a
 * reload of a gateway); a body cut off on the way (a network fault, not this) keeps every attempt.
 */
const FOREIGN_ANSWER_ATTEMPTS = 2;

/** Share of the backoff removed at random, so clients that failed together do not retry together. */
const JITTER = 0.25;

/**
 * True when `error` is a transient scoring failure and `attempt` (1-based, the
 * attempt that just failed) leaves another try within `maxAttempts` (a complete
 * answer that is not the model's: within FOREIGN_ANSWER_ATTEMPTS).
 * An attempt aborted by shutdown is never retried.
 */
export function shouldRetry(error: unknown, attempt: number, maxAttempts: number): boolean {
  if (!(error instanceof ScoringError) || error.kind !== 'retry' || error.rowCode === 'aborted') return false;
  return attempt < (error.foreignAnswer ? Math.min(maxAttempts, FOREIGN_ANSWER_ATTEMPTS) : maxAttempts);
}

/**
 * How long to wait after failed attempt number `attempt` (1-based).
 * A server-requested wait (Retry-After) is honoured as given, capped at `maxRetryAfterMs`;
 * otherwise (none, or one of 0) min(baseMs · 2^(attempt-1), maxMs) minus up to 25 % jitter.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  { baseMs = DEFAULT_RETRY_POLICY.baseMs, maxMs = DEFAULT_RETRY_POLICY.maxMs, maxRetryAfterMs = DEFAULT_RETRY_POLICY.maxRetryAfterMs }: Omit<RetryPolicy, 'maxAttempts' | 'random'> = {},
): number {
  // A wait of 0 (`Retry-After: 0`, or an HTTP date already past, as from a server whose clock is behind) names none:
  // honoured, a row's attempts went out back to back within milliseconds and a blip of a few seconds failed it.
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
    return Math.min(retryAfterMs, maxRetryAfterMs);
  }
  const exponent = Math.max(0, attempt - 1);
  const backoff = Math.min(baseMs * 2 ** exponent, maxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return backoff * (1 - JITTER * r);
}

/**
 * The row failure a still-retryable error becomes once its attempts are used up:
 * same rowCode (e.g. `http_500`), so the output says what kept failing.
 */
export function giveUp(error: ScoringError, attempts: number): ScoringError {
  return new ScoringError('row', error.rowCode, `${error.message} (gave up after ${counted(attempts, 'attempt')})`, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.cfCode !== undefined ? { cfCode: error.cfCode } : {}),
    cause: error,
  });
}

/**
 * A server-requested wait longer than `pauseBeyondMs` (`Retry-After: 3600`, or an HTTP date an hour away) becomes a
 * `pause`: the service says when it will answer again, and a run does not sit that out. Until 2026-12-05 every wait
 * was cut to 60 s and retried: against a server answering every request 429 `Retry-After: 3600`, a 200-row run sent a
 * request a minute per row in progress for more than 15 minutes, then ended exit 5 ("the service is failing"), where
 * exit 75 (try later) at its first answer is what the service asked for. Waits up to 15 minutes are still retried,
 * each capped at `maxRetryAfterMs`: a block of a few minutes (Cloudflare's API blocks a client for five after too many
 * requests) is outlived by the retries, and stopping a nightly run for it would leave the rest of the night unused.
 * Undefined when the wait is not beyond the threshold.
 */
export function waitBeyondCap(error: ScoringError, policy: Pick<RetryPolicy, 'maxRetryAfterMs' | 'pauseBeyondMs'>, nowMs: number = Date.now()): ScoringError | undefined {
  const threshold = Math.max(policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs, policy.pauseBeyondMs ?? DEFAULT_RETRY_POLICY.pauseBeyondMs);
  const wait = error.retryAfterMs;
  if (wait === undefined || !Number.isFinite(wait) || wait <= threshold) return undefined;
  // Up to the minute: cut down, a 61 s wait at 15:47:16 said "after 15:48", sending the rerun into the same wait.
  const until = new Date(Math.ceil((nowMs + wait) / 60_000) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  return new ScoringError(
    'pause',
    error.rowCode,
    `Workers AI asks to wait ${formatSeconds(wait / 1000)} before the next request (Retry-After), longer than the ${Math.round(threshold / 60_000)} min ` +
      `a run keeps retrying through: run the same command again after ${until} UTC to resume. It answered: ${error.message}`,
    {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.cfCode !== undefined ? { cfCode: error.cfCode } : {}),
      retryAfterMs: wait,
      cause: error,
    },
  );
}

/** Thrown by `withRetries` when its signal aborts: the row is NOT done and must not be written. */
export function interruptedError(signal?: AbortSignal): SentimentBatchError {
  return new SentimentBatchError('interrupted', 'Scoring stopped by shutdown before the row was finished; the next run scores it', {
    cause: signal?.reason,
  });
}

export interface RetryHooks {
  /** Called before each wait, e.g. to count retries and 429s or to slow the limiter down. */
  onRetry?(error: ScoringError, attempt: number, delayMs: number): void;
  /** Replaceable for tests; must reject when `signal` aborts. @default an abortable timer */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** Shutdown: stops waiting and starting attempts. */
  signal?: AbortSignal;
}

/**
 * Runs `fn(attempt)` (attempt is 1-based) until it resolves or must stop:
 * - resolves with the first success;
 * - rethrows `row`, `pause` and `fatal` ScoringErrors, and any other error (e.g. the caller's own
 *   SentimentBatchError from inside the limiter), at once and unchanged;
 * - a retryable error whose Retry-After is longer than `pauseBeyondMs` becomes a `pause` (see `waitBeyondCap`);
 * - after `maxAttempts` (FOREIGN_ANSWER_ATTEMPTS for an answer not the model's) a still-retryable error is rethrown as a
 *   `row` error (see `giveUp`);
 * - when `hooks.signal` aborts before an attempt, during a wait, or an attempt fails retryably
 *   while aborted (or with rowCode `aborted`), it rejects with a SentimentBatchError of code
 *   `interrupted` (see `interruptedError`): the row is not done.
 * So the caller sees: a result, a ScoringError of kind row | pause | fatal, `interrupted`, or its own error.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const { maxAttempts } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ConfigError(`Expected maxAttempts to be an integer ≥ 1, got ${String(maxAttempts)}`);
  }
  const { signal, onRetry, sleep = abortableSleep } = hooks;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw interruptedError(signal);
    try {
      return await fn(attempt);
    } catch (error) {
      // A final answer (row, pause, fatal) or a non-scoring error stands even during shutdown.
      if (!(error instanceof ScoringError) || error.kind !== 'retry') throw error;
      if (signal?.aborted || error.rowCode === 'aborted') throw interruptedError(signal);
      const tooLong = waitBeyondCap(error, policy);
      if (tooLong) throw tooLong;
      if (!shouldRetry(error, attempt, maxAttempts)) throw giveUp(error, attempt);
      const wait = retryDelayMs(attempt, error.retryAfterMs, policy.random, policy);
      onRetry?.(error, attempt, wait);
      try {
        await sleep(wait, signal);
      } catch (sleepError) {
        if (signal?.aborted) throw interruptedError(signal);
        throw sleepError;
      }
    }
  }
}

/** Waits `ms`, rejecting early when `signal` aborts. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : {});
}
