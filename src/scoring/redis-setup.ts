/**
 * The shared limiter's setup against Redis, all of it within one bound: the connection and bottleneck's own setup
 * (ready), then the commands the limiter sends once Redis is ready (the group's rate, its keys' expiry). The client
 * waits for a reply without end (no per-command limit: see redis-connection.ts), so a Redis that took the connection
 * and then stopped answering (paused, overloaded, a stopped container behind a live port forward) held a job's setup
 * forever, and a SIGTERM then did not end it: only the wait for ready was bounded and stoppable.
 */
import { ConfigError, errorMessage } from '../errors.js';
import { passwordRefusal } from './redis-password.js';

export interface SetupBound {
  /** The Redis URL for messages, password removed. */
  where: string;
  /** The whole setup, connection included, must be done within this. */
  timeoutMs: number;
  /** Ends the setup at once (a signal while the job sets up): rejects with the signal's reason. */
  abort?: AbortSignal;
  /** The connection's last error, for the message of a Redis that was never ready. */
  lastError: () => string | undefined;
  /**
   * Whether Redis answered the connection's own handshake (its ready check): a setup that then runs out of time, in
   * bottleneck's own setup (its first scripts) or after it, is a Redis that stopped answering, not one never reached.
   */
  answered?: () => boolean;
  /**
   * Settles with Redis's reply when it refuses the URL's password (redis-password.ts): the client reconnects and is
   * refused again until the bound, so without it the setup waited the whole bound, then said Redis could not be reached.
   */
  refused?: Promise<string>;
}

const FIX_URL = 'fix the Redis URL (--redis, REDIS_URL or the job file\'s "redis"); to run this job alone with a local rate limit, leave the Redis URL out.';

/**
 * Runs `ready` then `afterReady` within `bound`. Throws ConfigError (exit 2) when Redis is not ready in time, does not
 * answer the commands after it in time, or refuses one; the abort's reason when the stop came first. What is still
 * waiting for Redis then is the caller's to cut (close the connection without waiting for replies).
 */
export async function setUpWithin(bound: SetupBound, ready: () => Promise<unknown>, afterReady: () => Promise<void>): Promise<void> {
  const { where, timeoutMs, abort } = bound;
  let wasReady = false;
  let over = false;
  const work = (async () => {
    await ready();
    wasReady = true;
    // Given up meanwhile (the bound, a stop): nothing more is sent, nor any timer started, on a connection being cut.
    if (!over) await afterReady();
    return 'done' as const;
  })();
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (abort?.aborted) onAbort();
    else abort?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const refused = bound.refused?.then((reply) => ({ reply })) ?? new Promise<never>(() => undefined);
    const outcome = await Promise.race([work, timedOut, aborted, refused]);
    if (outcome === 'aborted') throw abort?.reason;
    if (typeof outcome === 'object') {
      const what = passwordRefusal(outcome.reply) === 'asked' ? 'asks for a password, which the Redis URL does not give' : 'refused the password the Redis URL gives';
      throw new ConfigError(
        `Redis at ${where} ${what} (${outcome.reply.replace(/\.+$/, '')}): fix the password in the Redis URL ` +
          `(--redis, REDIS_URL or the job file's "redis"); to run this job alone with a local rate limit, leave the Redis URL out.`,
      );
    }
    if (outcome === 'timeout') {
      if (!wasReady && !bound.answered?.()) {
        const cause = bound.lastError();
        throw new ConfigError(`cannot reach Redis at ${where} within ${timeoutMs / 1000} s${cause ? ` (${cause})` : ''}. Start Redis or ${FIX_URL}`);
      }
      throw new ConfigError(
        `Redis at ${where} did not answer within ${timeoutMs / 1000} s: it took the connection, then gave no reply to the shared rate limit's setup ` +
          '(a Redis paused, overloaded or out of memory, or a stopped one behind a live port forward). ' +
          `Check that Redis is up and answering, or ${FIX_URL}`,
      );
    }
  } catch (error) {
    if (error instanceof ConfigError || (abort?.aborted && error === abort.reason)) throw error;
    throw new ConfigError(`Redis at ${where} refused the shared rate limit's setup: ${errorMessage(error)}`, { cause: error });
  } finally {
    over = true;
    clearTimeout(timer);
    if (onAbort) abort?.removeEventListener('abort', onAbort);
  }
}
