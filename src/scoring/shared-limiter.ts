/**
 * One rate limit for every job that scores with the same account and model,
 * across processes and containers, through Redis and bottleneck's clustering.
 * See docs/shared-limit.md for the decisions and the failure modes.
 *
 * Two limiters, one in the other:
 * - local (what `createSharedBottleneck` returns): `maxConcurrent = concurrency`
 *   per process, so each process holds at most `concurrency` reservations in
 *   the shared queue. That is what makes the share fair: processes with the
 *   same concurrency get the same share, whenever they started.
 * - shared (datastore ioredis): `minTime` spacing of request starts for the
 *   whole group; no global `maxConcurrent` (the account limit counts requests
 *   per minute, not requests in flight).
 */
import { createHash } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { ConfigError, SentimentBatchError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { restoreScriptErrorRecovery } from './redis-compat.js';
import { createRedisClient, handleSelfIssuedCommands, redactRedisUrl, RedisOutageWatch } from './redis-connection.js';
import { RedisLiveness } from './redis-liveness.js';
import { setUpWithin } from './redis-setup.js';
import { checkDatabase } from './redis-database.js';
import { SharedSlots } from './redis-slots.js';
import { passwordRefusal } from './redis-password.js';
import { SlidingWindow } from './sliding-window.js';

export interface SharedLimiterOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  redisUrl: string;
  /** Cloudflare account id: jobs of one account and model share one limit. Only a hash of it goes to Redis. */
  accountId: string;
  model: string;
  /** Requests per minute for the whole group (the account's limit). */
  rpm: number;
  /** Requests in flight at once, in this process. */
  concurrency: number;
  log?: Logger;
  /** How long the whole setup may wait for Redis (the connection and the commands after it) before failing with a ConfigError. @default 5000 */
  connectTimeoutMs?: number;
  /** Ends the setup at once (a signal while the job sets up), wherever it waits for Redis: rejects with the signal's reason, the connection closed. */
  abort?: AbortSignal;
  /** A Redis outage in the middle of a run longer than this stops the job (`shared_limit_lost`, exit 75: try later). @default 120000 */
  outageLimitMs?: number;
  /** Mid-run, no reply to a PING within this (a Redis that stopped answering, its connection open) is an outage: the connection is made again. @default 10000 */
  stallMs?: number;
  /**
   * Expiration registered in Redis with every job: the running jobs of a
   * process that died (SIGKILL, OOM) stop counting after this. Keep it above
   * the attempt timeout plus the longest wait for a slot. @default 90000
   */
  jobExpirationMs?: number;
  /** Spacing is (60 s + margin) / rpm, so timer and network jitter cannot push rpm + 1 requests into one 60 s window. @default 250 */
  windowMarginMs?: number;
  /** The group's keys are removed from Redis after this long without activity. @default 900000 (15 min) */
  idleExpiryMs?: number;
}

const DEFAULTS = {
  connectTimeoutMs: 5_000,
  outageLimitMs: 120_000,
  stallMs: 10_000,
  jobExpirationMs: 90_000,
  windowMarginMs: 250,
  idleExpiryMs: 15 * 60_000,
};

/** The bottleneck id of a group: a hash of account and model, so the raw account id never goes to Redis. */
export function sharedLimiterId(accountId: string, model: string): string {
  const digest = createHash('sha256').update(`${accountId}\n${model}`).digest('hex');
  return `sentiment-batch-${digest.slice(0, 24)}`;
}

/** Spacing between two request starts of the group. */
export function sharedMinTime(rpm: number, windowMarginMs = DEFAULTS.windowMarginMs): number {
  return (60_000 + windowMarginMs) / rpm;
}

/**
 * What `createSharedBottleneck` returns: a local bottleneck (per-process
 * concurrency, and the Retry-After hold that RequestLimiter applies through
 * `updateSettings`, its reservoir at 0) whose jobs each take a start slot from the shared
 * limiter, spaced before it while a 3021 slows the job down (`paceStarts`). `stop()` also closes the Redis connections.
 */
export class SharedBottleneck extends Bottleneck {
  /**
   * The slowed spacing, checked when a job is due to ask for its slot. In the local bottleneck's minTime, which fixes a
   * job's start when it takes a concurrency slot, --concurrency rows were booked at the slowed spacing and the job stayed
   * slow long after its rate had recovered (21 starts in the minute 60-120 s after the last 3021 where --rpm 120 allows
   * 120: test/limiter-recovery.test.ts). Only while slowed: at full speed the group's spacing is the only one.
   */
  private readonly pace = new SlidingWindow(1, 0, 0);
  private paced = false;

  constructor(
    local: Bottleneck.ConstructorOptions,
    private readonly slots: SharedSlots,
    private readonly shared: Bottleneck,
    private readonly closeShared: () => Promise<void>,
    /** The group's bottleneck id (keys `b_<id>_*` in Redis). */
    readonly sharedId: string,
  ) {
    super(local);
  }

  // Same call forms as Bottleneck#schedule: (task, ...args) or (options, task, ...args).
  // `any` because the override must fit every one of bottleneck's typed overloads.
  override schedule(...args: any[]): Promise<any> {
    const [options, task, rest] =
      typeof args[0] === 'function'
        ? [{}, args[0] as (...a: unknown[]) => unknown, args.slice(1)]
        : [args[0] as Bottleneck.JobOptions, args[1] as (...a: unknown[]) => unknown, args.slice(2)];
    const run = () => this.slots.run(() => task(...rest));
    // Before the slot: a slowed job spaced after it kept the slots it took at the group's pace and sent them late, with
    // the group's next (66 starts in a 60 s window of --rpm 60: test/shared-limit-slowdown.test.ts).
    return super.schedule(options, () => (this.paced ? this.pace.acquire().then(run) : run()));
  }

  /** Spaces this job's starts `ms` apart before they take the group's slot (a 3021's slow-down, RequestLimiter); 0: not. */
  paceStarts(ms: number): void {
    this.paced = ms > 0;
    // A shorter spacing applies to the job already waiting: the rate recovers at once.
    this.pace.setSpacing(ms);
  }

  /** Jobs running in the whole group, as Redis counts them (a dead process's jobs count until they expire). */
  groupRunning(): Promise<number> {
    return this.shared.running();
  }

  override async stop(options?: Bottleneck.StopOptions): Promise<void> {
    // Waiting jobs first: the local stop waits for every job it has started, including those waiting for a slot.
    this.slots.fail(new SentimentBatchError('interrupted', 'stopping: the shared limiter was stopped'));
    // Jobs waiting in the slowed spacing then ask for a slot, which the failure above refuses.
    this.pace.close();
    try {
      await super.stop(options);
    } finally {
      await this.closeShared();
    }
  }
}

/**
 * Connects to Redis and returns a bottleneck for RequestLimiter's `bottleneck`
 * option. Throws ConfigError (exit 2) when Redis cannot be reached, or does
 * not answer the setup's commands, within `connectTimeoutMs` (the whole setup):
 * no silent fallback to a local limit.
 */
export async function createSharedBottleneck(options: SharedLimiterOptions): Promise<SharedBottleneck> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const { rpm, concurrency, log } = settings;
  if (!(Number.isFinite(rpm) && rpm > 0)) throw new ConfigError(`the shared limit needs a positive rpm, got ${String(rpm)}`);
  if (!(Number.isSafeInteger(concurrency) && concurrency > 0)) throw new ConfigError(`the shared limit needs a positive integer concurrency, got ${String(concurrency)}`);
  const where = redactRedisUrl(settings.redisUrl);
  const id = sharedLimiterId(settings.accountId, settings.model);
  const minTime = sharedMinTime(rpm, settings.windowMarginMs);
  /** The spacing the group uses once set up: this job's, or a stricter one another job of the group set. */
  let groupMinTime = minTime;

  const client = createRedisClient(settings.redisUrl);
  let slots: SharedSlots | undefined;
  const watch = new RedisOutageWatch(client, {
    url: settings.redisUrl,
    limitMs: settings.outageLimitMs,
    onGiveUp: (error) => {
      log?.error({ redis: where }, error.message);
      slots?.fail(error);
    },
    ...(log ? { log } : {}),
  });
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  restoreScriptErrorRecovery(connection);
  // bottleneck made the subscriber with client.duplicate() in its constructor.
  handleSelfIssuedCommands(client);
  handleSelfIssuedCommands((connection as unknown as { subscriber: Redis }).subscriber);
  let lastError: string | undefined;
  let onRefused: ((reply: string) => void) | undefined;
  const refused = new Promise<string>((resolve) => (onRefused = resolve));
  connection.on('error', (error: unknown) => {
    // trimEnd: OpenSSL's messages end in a line break, which the line showed escaped (`…:350:\n)`).
    lastError = errorMessage(error).trimEnd();
    if (passwordRefusal(lastError)) onRefused?.(lastError);
  });
  const shared = new Bottleneck({
    id,
    connection,
    minTime,
    maxConcurrent: null,
    // No bottleneck `timeout`: with it, a fractional minTime makes register.lua
    // call PEXPIRE with a fractional TTL, which Redis refuses. Keys expire
    // through GroupKeyExpiry instead.
    clearDatastore: false,
  });
  shared.on('error', (error: unknown) => log?.debug({ err: error }, 'shared limiter: Redis command failed (retried)'));

  const expiry = new GroupKeyExpiry(client, id, settings.idleExpiryMs);
  const liveness = new RedisLiveness(client, { url: settings.redisUrl, stallMs: settings.stallMs, everyMs: Math.min(5_000, settings.stallMs / 2), ...(log ? { log } : {}) });
  const closeShared = once(async () => {
    liveness.stop();
    // Up, and answering: a Redis that stopped answering with its connection open (before the liveness probe cut it)
    // would hold each step of the graceful close below to its bound, 5 s in all, the time a stop has to end the job.
    const healthy = client.status === 'ready' && (await withTimeout(client.ping().then(() => true, () => false), 500)) === true;
    watch.close();
    expiry.stop();
    if (healthy) await withTimeout(expiry.refresh().catch(() => undefined), 1_000);
    // With Redis down, bottleneck's stop could wait for a command forever: skip it and cut the connection.
    if (healthy) await withTimeout(shared.stop({ dropWaitingJobs: true }).catch(() => undefined), 2_000);
    // The connection's disconnect, never shared.disconnect(): that goes through bottleneck's __removeLimiter__, which drops its UNSUBSCRIBE promises (an unhandled rejection on a closed connection).
    const closed = await withTimeout(connection.disconnect(healthy).then(() => true, () => true), 2_000);
    if (!closed) await connection.disconnect(false);
  });

  try {
    // The connection and every command after it within the one connect time-out, and a stop ends it at once.
    await setUpWithin(
      {
        where,
        timeoutMs: settings.connectTimeoutMs,
        lastError: () => lastError ?? tookConnection(client, connection),
        refused,
        // Both connections answered their ready check: bottleneck's own scripts then went unanswered.
        answered: () => client.status === 'ready' && (connection as unknown as { subscriber: Redis }).subscriber.status === 'ready',
        ...(settings.abort ? { abort: settings.abort } : {}),
      },
      () => shared.ready(),
      async () => {
        await checkDatabase(client, settings.redisUrl, where);
        groupMinTime = await adoptStricterRate(client, id, minTime, rpm, log);
        await expiry.start();
      },
    );
  } catch (error) {
    // Redis may be the one not answering: cut the connections without waiting for it (closeShared's graceful close,
    // with the connection up, would wait up to 5 s more for replies that never come).
    watch.close();
    expiry.stop();
    // bottleneck's ready may have created the group's keys (its settings, this client's entries), with no expiry: the
    // setup's own PEXPIREs come later. Ask Redis to expire them as a live job would, without waiting for a reply that
    // may never come: the commands are written before the connection closes, and Redis runs what it was sent.
    if (client.status === 'ready') void expiry.refresh().catch(() => undefined);
    await connection.disconnect(false);
    throw error;
  }

  liveness.start();
  slots = new SharedSlots(shared, settings.jobExpirationMs, where);
  // The group's rate, which a job of a lower rpm may have set: this job's own would misstate the spacing in force.
  const groupRpm = Math.round((rpm * minTime) / groupMinTime);
  log?.info({ redis: where, group: id, rpm: groupRpm, spacingMs: Number(groupMinTime.toFixed(3)), concurrency }, 'rate limit shared through Redis with every job of this account and model');
  // The local spacing is the full rate: the shared spacing is what binds; RequestLimiter's slow-down paces before it.
  const local = { maxConcurrent: concurrency, minTime: 60_000 / rpm };
  return new SharedBottleneck(local, slots, shared, closeShared, id);
}

/** Why a Redis that never got ready was not, when no error says it: a connection made (TCP) and left unanswered. */
function tookConnection(client: Redis, connection: Bottleneck.IORedisConnection): string | undefined {
  const subscriber = (connection as unknown as { subscriber: Redis }).subscriber;
  if (client.status === 'connect' || subscriber.status === 'connect') return 'it took the connection, then gave no reply';
  // rediss:// at a Redis without TLS: the TCP connection is made (the socket no longer connecting), but the client stays
  // 'connecting' until a TLS handshake that redis-server, reading the hello as the start of a command, never answers.
  const handshakeUnanswered = (redis: Redis): boolean => redis.status === 'connecting' && redis.stream instanceof TLSSocket && !redis.stream.connecting;
  return handshakeUnanswered(client) || handshakeUnanswered(subscriber)
    ? 'it took the connection, then did not answer the TLS handshake: a Redis without TLS is reached with redis://'
    : undefined;
}

/**
 * bottleneck writes a group's settings only when it creates them: a job
 * joining a running group would silently use the first job's rpm. The
 * stricter of the two wins (atomically), and a difference is logged.
 */
const ADOPT_STRICTER = `
local current = tonumber(redis.call('hget', KEYS[1], 'minTime'))
redis.call('hset', KEYS[1], 'maxConcurrent', '')
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('hset', KEYS[1], 'minTime', ARGV[1])
end
return tostring(current)`;

/** Returns the spacing the group now uses: this job's, or a stricter one already there. */
async function adoptStricterRate(client: Redis, id: string, minTime: number, rpm: number, log: Logger | undefined): Promise<number> {
  const previous = Number(await client.eval(ADOPT_STRICTER, 1, `b_${id}_settings`, String(minTime)));
  if (!Number.isFinite(previous) || Math.abs(previous - minTime) < 1e-9) return minTime;
  const otherRpm = Math.round((rpm * minTime) / previous);
  if (previous < minTime) {
    log?.warn({ rpm, otherRpm }, 'another job of this account was started with a higher rpm: the group now uses this job\'s lower rpm. Give every job of one account the same --rpm');
  } else {
    log?.warn({ rpm, otherRpm }, 'another job of this account runs with a lower rpm: the group keeps it. Give every job of one account the same --rpm');
  }
  return Math.max(previous, minTime);
}

/** The keys of a bottleneck 2.x group (bottleneck/src/Scripts.coffee, allKeys). */
const GROUP_KEY_SUFFIXES = ['settings', 'job_weights', 'job_expirations', 'job_clients', 'client_running', 'client_num_queued', 'client_last_registered', 'client_last_seen'];

/**
 * Every live process pushes the expiry of the group's keys `idleMs` ahead,
 * now and then, so a group nobody uses any more leaves nothing in Redis.
 */
class GroupKeyExpiry {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: Redis,
    private readonly id: string,
    private readonly idleMs: number,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    // Stopped while the first PEXPIREs waited (a setup given up): their pipeline settles once the connection is
    // closed, and an interval started then would run for good on a closed client.
    if (this.stopped) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), Math.min(60_000, Math.max(1_000, Math.floor(this.idleMs / 3))));
    this.timer.unref();
  }

  async refresh(): Promise<void> {
    const pipeline = this.client.pipeline();
    for (const suffix of GROUP_KEY_SUFFIXES) pipeline.pexpire(`b_${this.id}_${suffix}`, Math.ceil(this.idleMs));
    await pipeline.exec();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
