import Bottleneck from 'bottleneck';
import { startsIgnoreClockSteps } from './bottleneck-clock.js';
import { NOT_ADMITTED } from './not-admitted.js';
import { interruptedError } from './retry.js';
import { SlidingWindow } from './sliding-window.js';

export interface LimiterOptions {
  /** Requests per minute, never exceeded in any 60 s window. */
  rpm: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** A bottleneck instance to use instead of a local one (the Redis-shared limiter). */
  bottleneck?: Bottleneck;
}

/** Spacing as a share of 60 s / rpm (see the constructor). */
const SPACING_SLACK = 0.9;
/** After a 3021 the rate is divided by this, down to `MAX_SLOWDOWN` times slower. */
const SLOWDOWN_FACTOR = 1.5;
const MAX_SLOWDOWN = 8;
/**
 * Each quiet interval without a 3021 speeds back up by this factor, up to the configured rate:
 * one stray 3021 costs about 1.5 s of throughput (3 s at 2/3, then 3 s at 5/6).
 */
const RECOVERY_INTERVAL_MS = 3_000;
const RECOVERY_FACTOR = 1.25;

/**
 * The window spaces starts at 60 s / rpm (the slowed spacing after a 3021), and a start may go this much before its
 * due time to make up for a late timer or a stalled event loop (SlidingWindow.setSpacing). Spaced from the last start
 * the job reached 83 % of the limit in `npm run bench -- rate-limit`; at half the spacing the rows that waited through a
 * slow-down went out at twice the rate once it was over, and the 60 s window echoed that bunch every minute.
 * The window's gap of 0.9 x that (setMinGap) stays: after a hold or idle time the catch-up alone lets 250 ms / spacing + 1
 * rows go at once (1 ms apart at --rpm 1200 after a Retry-After, test/row-scorer-rate-limit.test.ts, without the gap).
 */
const CATCH_UP_MS = 250;

/**
 * Bottleneck runs lower priorities first (default 5), first come first served within one. A retry goes before a
 * row whose turn came during a hold and that queued again, which goes before the rows queued after it.
 */
const PRIORITY = { ahead: 3, requeued: 4, row: 5 } as const;
/** What a job whose turn comes during a hold returns: it gives its concurrency slot back and queues again. */
const HELD: unique symbol = Symbol('held');

/** A shared limit's bottleneck (SharedBottleneck, not imported here: it loads the Redis client) spaces a slowed job's starts. */
interface PacesStarts {
  paceStarts(ms: number): void;
}

/**
 * Rate and concurrency for remote requests. Every attempt, retries included,
 * goes through `schedule`. Retrying is not done here (see retry.ts).
 */
export class RequestLimiter {
  private readonly bottleneck: Bottleneck;
  private readonly window: SlidingWindow;
  private readonly baseMinTime: number;
  private minTime: number;
  // performance.now(), not Date.now(): a wall clock set back mid-run kept the job slowed until it caught up (an hour).
  private lastSlowdown = -Infinity;
  private recoveryTimer: NodeJS.Timeout | undefined;
  /** Set while a hold keeps bottleneck from starting jobs (its reservoir at 0): ends it. */
  private resumeTimer: NodeJS.Timeout | undefined;
  /** The Redis-shared limit's bottleneck (shared-limiter.ts): a job takes the group's start slot when bottleneck starts it. */
  private readonly shared: boolean;

  constructor(options: LimiterOptions) {
    this.shared = options.bottleneck !== undefined;
    // Near-even spacing keeps the pipe full without bursts. It is a little tighter than 60 s / rpm so a
    // late timer or a stalled event loop is made up afterwards instead of lost; the sliding window below
    // is what guarantees the limit.
    // Shared, the given bottleneck's spacing is 60 s / rpm (shared-limiter.ts): recovery returns to that, not 0.9 x.
    this.baseMinTime = (60_000 / options.rpm) * (this.shared ? 1 : SPACING_SLACK);
    this.minTime = this.baseMinTime;
    // Local, bottleneck keeps concurrency and the queue's order only; the window spaces the starts (setMinGap), when each
    // is due. bottleneck's minTime fixed a row's start time when it took a slot, up to --concurrency x minTime ahead
    // (48 x 0.45 s = 21.6 s): the rows booked before a Retry-After hold whose time fell after it went before the
    // refused row's retry (41 requests in the 24 s between the 429 and its retry against `serve`, lowfix57).
    this.bottleneck = options.bottleneck ?? new Bottleneck({ maxConcurrent: options.concurrency, minTime: 0 });
    this.window = new SlidingWindow(options.rpm);
    if (!this.shared) {
      startsIgnoreClockSteps(this.bottleneck);
      this.window.setSpacing(this.baseMinTime / SPACING_SLACK, CATCH_UP_MS);
      this.window.setMinGap(this.baseMinTime);
    }
  }

  /**
   * Runs `send` when the rate allows. When `waiting` aborts before `send` has
   * started (shutdown, a budget reached), the row is dropped at once with an
   * `interrupted` error instead of waiting its turn, and takes no request.
   * `ahead`: before every request queued without it (a retry: its row was read before all of them, and the
   * output, written in input order, waits for it behind the whole read-ahead otherwise). The rate is the same.
   */
  schedule<T>(send: () => Promise<T>, waiting?: AbortSignal, options: { ahead?: boolean } = {}): Promise<T> {
    return this.run(undefined, send, waiting, options) as Promise<T>;
  }

  /**
   * As `schedule`, but `admit` is asked when the job's turn comes, before the
   * request takes a place in the rate window: false gives the turn up (nothing
   * sent, nothing counted against --rpm) and resolves with NOT_ADMITTED.
   */
  scheduleIf<T>(admit: () => boolean, send: () => Promise<T>, waiting?: AbortSignal, options: { ahead?: boolean } = {}): Promise<T | typeof NOT_ADMITTED> {
    return this.run(admit, send, waiting, options);
  }

  /**
   * A job whose turn comes during a hold gives its slot back and queues again, ahead of the rows queued after it:
   * waiting inside `window.acquire()`, such jobs held every concurrency slot for the whole hold, the refused row's retry
   * could not get one, and at the hold's end they all went out at once (48 new requests, 0 retries, operator24).
   */
  private async run<T>(admit: (() => boolean) | undefined, send: () => Promise<T>, waiting: AbortSignal | undefined, { ahead = false }: { ahead?: boolean }): Promise<T | typeof NOT_ADMITTED> {
    for (let priority: number = ahead ? PRIORITY.ahead : PRIORITY.row; ; priority = Math.min(priority, PRIORITY.requeued)) {
      const outcome = await this.runOnce(admit, send, waiting, priority);
      if (outcome !== HELD) return outcome;
    }
  }

  private runOnce<T>(admit: (() => boolean) | undefined, send: () => Promise<T>, waiting: AbortSignal | undefined, priority: number): Promise<T | typeof NOT_ADMITTED | typeof HELD> {
    const job = { priority };
    const admitted = (): boolean => admit === undefined || admit();
    if (!waiting) return this.bottleneck.schedule(job, async () => (this.held ? HELD : this.whenWindowAllows(admitted, send)));
    if (waiting.aborted) return Promise.reject(interruptedError(waiting));
    return new Promise<T | typeof NOT_ADMITTED | typeof HELD>((resolve, reject) => {
      let started = false;
      const drop = (): void => {
        if (!started) reject(interruptedError(waiting));
      };
      waiting.addEventListener('abort', drop, { once: true });
      this.bottleneck
        .schedule(job, async () => {
          if (waiting.aborted) return undefined;
          if (this.held) return HELD;
          const outcome = await this.whenWindowAllows(
            () => !waiting.aborted && admitted(),
            async () => {
              if (waiting.aborted) return undefined;
              started = true;
              waiting.removeEventListener('abort', drop);
              return send();
            },
          );
          if (outcome === NOT_ADMITTED) waiting.removeEventListener('abort', drop);
          return outcome;
        })
        .then((value) => {
          if (value === HELD) waiting.removeEventListener('abort', drop);
          resolve(value as T | typeof NOT_ADMITTED | typeof HELD);
        }, reject);
    });
  }

  /** A Retry-After hold is in force: nothing is sent until it ends. */
  get held(): boolean {
    return this.window.heldForMs > 0;
  }

  /**
   * HELD when a hold begins while the job waits for its turn or a full window: its slot is given back as at a held turn
   * (run). `admit` is asked when the start is allowed, not when the job takes a slot: rows waiting for their turn in the
   * spacing (up to --concurrency) are not yet counted in progress by the outage hold, which may begin meanwhile.
   */
  private async whenWindowAllows<T>(admit: () => boolean, send: () => Promise<T>): Promise<T | typeof NOT_ADMITTED | typeof HELD> {
    let admitted: boolean | undefined;
    if (await this.window.acquire({ unlessHeld: true, admit: () => (admitted = admit()) })) return send();
    if (admitted === false) return NOT_ADMITTED;
    // Stopped (the window closed): what bottleneck's stop does to a job not yet started.
    if (admitted === undefined && this.window.isClosed) throw interruptedError();
    return HELD;
  }

  /** The service said 3021 (rate reached): someone else shares the account's limit, so slow down, then recover. */
  slowDown(): void {
    const now = performance.now();
    // One 429 wave is one signal: several in-flight requests answering 429 together must not compound.
    if (now - this.lastSlowdown < 2_000) return;
    this.lastSlowdown = now;
    this.setMinTime(Math.min(this.minTime * SLOWDOWN_FACTOR, this.baseMinTime * MAX_SLOWDOWN));
    this.recoveryTimer ??= setInterval(() => this.recover(), RECOVERY_INTERVAL_MS).unref();
  }

  /**
   * The service said 3021 with a Retry-After: the account's window is full for that long, for every request of this
   * job, not only the one refused. Nothing is sent until then (its own retry waits as long), where the job went on
   * sending new rows into the full window: 160 of 250 requests answered 429 for 90 rows against `serve --rpm 20`.
   */
  holdFor(ms: number): void {
    this.window.hold(ms);
    this.pauseUntilHoldEnds();
  }

  /**
   * While a hold lasts bottleneck starts no job (reservoir 0): the rows stay in its queue, in priority order, and
   * at the hold's end they start at its spacing, a retry queued meanwhile first. The window's hold is what
   * guarantees that nothing is sent; this only keeps the slots and the order.
   */
  private pauseUntilHoldEnds(): void {
    const left = this.window.heldForMs;
    if (left <= 0) return;
    if (this.resumeTimer === undefined) this.bottleneck.updateSettings({ reservoir: 0 });
    clearTimeout(this.resumeTimer);
    // Not unref'd: with bottleneck paused this timer may be all that keeps the run's event loop alive.
    this.resumeTimer = setTimeout(() => this.resumeAfterHold(), Math.ceil(left));
  }

  private resumeAfterHold(): void {
    // A timer may fire a little before performance.now() reaches the hold's end.
    const left = this.window.heldForMs;
    if (left > 0) {
      this.resumeTimer = setTimeout(() => this.resumeAfterHold(), Math.ceil(left));
      return;
    }
    this.resumeTimer = undefined;
    this.bottleneck.updateSettings({ reservoir: null });
  }

  /** Current share of the configured rate (1 = full speed); for logs. */
  get speed(): number {
    return this.baseMinTime / this.minTime;
  }

  /**
   * Nothing more is sent; returns once no job is executing (a request in flight ends, its answer kept). bottleneck's
   * own stop also waits behind every job still being received: it takes them one at a time, a timer's turn each
   * (~1.3 ms), so with 20,000 rows queued (`--concurrency 2500`: 8 x 2500 read ahead) a Ctrl-C took 27 s to exit.
   * Those jobs never start (the window is closed, bottleneck drops them as they come), and a row waiting with a signal
   * is dropped by it at once (runOnce): so, local, only the executing ones are waited for. Shared, bottleneck's stop
   * is awaited whole: it closes the Redis connections (shared-limiter.ts).
   */
  async stop(): Promise<void> {
    if (this.recoveryTimer) clearInterval(this.recoveryTimer);
    clearTimeout(this.resumeTimer);
    this.window.close();
    const stopped = this.bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
    await (this.shared ? stopped : Promise.race([stopped, noneExecuting(this.bottleneck)]));
  }

  private recover(): void {
    if (performance.now() - this.lastSlowdown < RECOVERY_INTERVAL_MS) return;
    this.setMinTime(Math.max(this.baseMinTime, this.minTime / RECOVERY_FACTOR));
    if (this.minTime === this.baseMinTime && this.recoveryTimer) {
      clearInterval(this.recoveryTimer);
      this.recoveryTimer = undefined;
    }
  }

  /**
   * The slowed spacing is the window's, checked at each start; its gap (setMinGap) keeps the configured one. Set in
   * bottleneck, which fixes a job's start time when it gives it a slot, up to --concurrency rows booked at the slowed
   * spacing kept the job at 1/8 speed for 48 x 3.6 s = 173 s after the rate had recovered (--rpm 120, lowfix48).
   */
  private setMinTime(minTime: number): void {
    this.minTime = minTime;
    // Shared, the group's start slot is taken as bottleneck starts the job, before the window: spaced there, a slowed job
    // kept the slots it took at the group's pace and sent them late, with the group's next (66 starts in a 60 s window
    // of --rpm 60, two jobs, one slowed by 3021s). The SharedBottleneck spaces the starts before the slot.
    if (this.shared) {
      (this.bottleneck as Partial<PacesStarts>).paceStarts?.(minTime > this.baseMinTime ? minTime : 0);
      return;
    }
    this.window.setSpacing(minTime / SPACING_SLACK, CATCH_UP_MS);
  }
}

/** Resolves once bottleneck has no job started and not finished (RUNNING: given its slot; EXECUTING: its function called). */
function noneExecuting(bottleneck: Bottleneck): Promise<void> {
  const started = (): number => {
    const counts = bottleneck.counts();
    return counts.RUNNING + counts.EXECUTING;
  };
  return new Promise((resolve) => {
    // `once`, again after each job done while others run: bottleneck's events have no removal of one listener.
    const check = (): void => {
      if (started() === 0) resolve();
      else bottleneck.once('done', check);
    };
    check();
  });
}
