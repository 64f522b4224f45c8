/**
 * The Redis client of the shared rate limit: URL checks, client options, and
 * the watch over connection losses in the middle of a run.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError, SentimentBatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { redactRedisUrl } from './redis-url.js';
import { withoutCredentials, withoutUserInfo } from '../wording/without-credentials.js';

export { redactRedisUrl };

/** Where a Redis URL may have come from: REDIS_URL may be set in a profile the user has forgotten. */
const URL_SOURCES = `(--redis, REDIS_URL or the job file's "redis")`;

/** Refuses anything but `redis://` and `rediss://` URLs, before any connection attempt. */
export function checkRedisUrl(url: string): void {
  const shown = withoutCredentials(url);
  // host:port as redis-cli's -h/-p users write it: a URL parser reads 'localhost:' as its scheme.
  if (/^[a-z0-9.-]+:\d+(\/\d*)?$/i.test(url)) {
    throw new ConfigError(`the Redis URL ${URL_SOURCES} has no scheme, got '${shown}': write redis://${shown} (or rediss:// for TLS)`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`the Redis URL ${URL_SOURCES} must look like redis://host:6379 or rediss://user:password@host:6380/0, got '${shown}'${withoutUserInfo(url) === url ? '' : " (a password with '/' or '@' in it must be written %2F and %40)"}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`the Redis URL ${URL_SOURCES} must start with redis:// or rediss:// (TLS), got '${parsed.protocol}//…'; e.g. redis://127.0.0.1:6379`);
  }
  if (parsed.hostname === '') throw new ConfigError(`the Redis URL ${URL_SOURCES} has no host: '${redactRedisUrl(url)}'; e.g. redis://127.0.0.1:6379`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    // An '@' there is the rest of a password with a '/' and an '@' in it (the URL's credentials end at the first '@'
    // before the '/'), not a path anyone wrote: never shown.
    if (db.includes('@')) throw new ConfigError(`the Redis URL ${URL_SOURCES} has an '@' after its host's '/': a password with '/' or '@' in it must be written %2F and %40`);
    throw new ConfigError(`the Redis URL's path must be a database number (redis://host:6379/2), got '/${db}'`);
  }
}

/**
 * A client for the limiter. Commands issued while the connection is down wait
 * for it (no per-command retry limit): a job must not send a request without
 * a slot from the shared limit, and must not fail on a short Redis restart.
 * How long a job waits is bounded by `RedisOutageWatch` instead (and a Redis that stops
 * answering with the connection open is found by `RedisLiveness`, redis-liveness.ts).
 */
export function createRedisClient(url: string, extra: RedisOptions = {}): Redis {
  checkRedisUrl(url);
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    // Reconnect quickly at first, then every second: a restarted Redis is found within a second.
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    ...extra,
  });
}

/** The commands ioredis's readyHandler (built/redis/event_handler.js) issues by itself after a reconnect, dropping their promises. */
const SELF_ISSUED = ['select', 'subscribe', 'psubscribe', 'ssubscribe'] as const;

/**
 * After a reconnect ioredis re-selects the database and re-subscribes the
 * channels on its own, and nobody handles those commands' promises. Closing
 * the connection before Redis answers them (a job ending just as Redis comes
 * back) rejects them with "Connection is closed.": an unhandled rejection,
 * which ends the CLI with Node's stack trace and exit 1 after the job.
 * The promise returned is the same one, only marked as handled: a caller
 * that waits for it (bottleneck's subscribe callback) still sees the error.
 */
export function handleSelfIssuedCommands(client: Redis): void {
  for (const name of SELF_ISSUED) {
    const command = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    Object.defineProperty(client, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]): Promise<unknown> => {
        const reply = command(...args);
        reply.catch(() => undefined);
        return reply;
      },
    });
  }
}

export interface OutageWatchOptions {
  /** The URL for messages (redacted here). */
  url: string;
  /** A loss longer than this gives up: `onGiveUp` is called once with a SentimentBatchError('shared_limit_lost') (exit 75). */
  limitMs: number;
  /** How often to repeat the warning while the connection is down. */
  warnEveryMs?: number;
  onGiveUp: (error: SentimentBatchError) => void;
  log?: Logger;
}

/**
 * Watches one client: warns when its connection drops, repeats the warning
 * while it stays down, says when it is back, and gives up after `limitMs`.
 */
export class RedisOutageWatch {
  // performance.now(): a wall clock set back while Redis is down made the wait before pausing an hour longer.
  private downSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private gaveUp = false;
  private closed = false;
  private lastError: string | undefined;
  /** A connection was made once: before that, a failed attempt is the start-up check's to report (exit 2), not a loss. */
  private connected = false;

  constructor(
    client: Redis,
    private readonly options: OutageWatchOptions,
  ) {
    // OpenSSL's messages end in a line break, which a line shows escaped (`…:350:\n)`).
    client.on('error', (error: Error) => (this.lastError = error.message.trimEnd()));
    client.on('close', () => this.down());
    client.on('reconnecting', () => this.down());
    client.on('ready', () => {
      this.connected = true;
      this.up();
    });
  }

  /** True while the connection is up (or has never been lost). */
  get healthy(): boolean {
    return this.downSince === undefined;
  }

  /** Stops watching: the owner is closing the client on purpose. */
  close(): void {
    this.closed = true;
    this.clearTimer();
  }

  private down(): void {
    if (!this.connected || this.closed || this.gaveUp || this.downSince !== undefined) return;
    this.downSince = performance.now();
    const { url, limitMs, log } = this.options;
    log?.warn(
      { redis: redactRedisUrl(url), giveUpAfterSeconds: limitMs / 1000 },
      'lost the connection to Redis: requests wait for it (no request is sent without a slot from the shared rate limit)',
    );
    const every = Math.min(this.options.warnEveryMs ?? 15_000, limitMs);
    this.timer = setInterval(() => this.check(), every);
    this.timer.unref();
  }

  private up(): void {
    if (this.downSince === undefined) return;
    const seconds = (performance.now() - this.downSince) / 1000;
    this.downSince = undefined;
    this.clearTimer();
    if (!this.closed && !this.gaveUp) this.options.log?.info({ redis: redactRedisUrl(this.options.url), downSeconds: seconds }, 'Redis is back: scoring continues');
  }

  private check(): void {
    if (this.downSince === undefined) return;
    const elapsed = performance.now() - this.downSince;
    const { url, limitMs, log } = this.options;
    if (elapsed < limitMs) {
      log?.warn({ redis: redactRedisUrl(url), downSeconds: Math.round(elapsed / 1000), lastError: this.lastError }, 'still waiting for Redis');
      return;
    }
    this.gaveUp = true;
    this.clearTimer();
    this.options.onGiveUp(
      new SentimentBatchError(
        'shared_limit_lost',
        `Redis at ${redactRedisUrl(url)} has been unreachable for ${Math.round(elapsed / 1000)} s` +
          `${this.lastError ? ` (${this.lastError})` : ''}, so the shared rate limit cannot be kept. ` +
          'The checkpoint is saved: run the same command again once Redis is back, or without the Redis URL to use a local limit.',
      ),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
