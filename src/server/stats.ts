/**
 * What the server saw, for tests and benchmarks to assert against
 * (`GET /__stats`, `RunningServer.stats()`). Control endpoints are not counted.
 */
import { RATE_WINDOW_MS, TimestampQueue } from './limits.js';

/** How a request ended; `aborted`: the client closed the connection before the body was complete. */
export type Outcome = 'ok' | 'error' | 'malformed' | 'truncated' | 'dropped' | 'hung' | 'aborted';

export interface AccountStats {
  requests: number;
  /** Requests admitted by the rate limiter (they count toward `rpm`). */
  accepted: number;
  /** 200 answers with scores. */
  ok: number;
  byStatus: Record<string, number>;
  tokens: number;
  neurons: number;
}

export interface MinuteBucket {
  /** Start of the wall-clock minute (UTC), ISO 8601. */
  minute: string;
  requests: number;
  accepted: number;
}

export interface ServerStats {
  /** When the server started or was last reset, ISO 8601. */
  since: string;
  firstRequestAt: string | null;
  lastRequestAt: string | null;
  /** API requests received (everything except `/__…` control endpoints). */
  total: number;
  /** Received and not yet answered, dropped or declared hung. */
  inFlight: number;
  /** Requests currently held open by a hang fault. */
  hanging: number;
  /** Answers by HTTP status, as sent (malformed and truncated 200s included). */
  byStatus: Record<string, number>;
  /** Error answers by Cloudflare error code. */
  byCode: Record<string, number>;
  byOutcome: Record<Outcome, number>;
  perMinute: MinuteBucket[];
  /**
   * The most requests whose arrival times fit in any window of 60 s, computed
   * exactly from the arrival timestamps: `all` received, `accepted` admitted
   * by the rate limiter (the figure `rpm` bounds).
   */
  maxInAnyWindow: { windowMs: number; all: number; accepted: number };
  /** Input tokens of scored requests (after truncation) and the neurons they cost. */
  tokens: number;
  neurons: number;
  accounts: Record<string, AccountStats>;
  /** Forced answers still waiting in the `/__control/next` queue. */
  queuedForcedAnswers: number;
}

/** A running maximum of arrivals in any sliding window, exact because arrivals come in time order. */
class WindowMax {
  private readonly queue = new TimestampQueue();
  max = 0;

  add(timestamp: number): void {
    this.queue.expire(timestamp, RATE_WINDOW_MS);
    this.queue.push(timestamp);
    if (this.queue.length > this.max) this.max = this.queue.length;
  }
}

export class StatsRecorder {
  private readonly since: number;
  private first: number | undefined;
  private last: number | undefined;
  private total = 0;
  private inFlight = 0;
  private readonly byStatus: Record<string, number> = {};
  private readonly byCode: Record<string, number> = {};
  private readonly byOutcome: Record<Outcome, number> = { ok: 0, error: 0, malformed: 0, truncated: 0, dropped: 0, hung: 0, aborted: 0 };
  private readonly minutes = new Map<number, { requests: number; accepted: number }>();
  private readonly allWindow = new WindowMax();
  private readonly acceptedWindow = new WindowMax();
  private tokens = 0;
  private neurons = 0;
  private readonly accounts = new Map<string, AccountStats>();

  constructor(now: number) {
    this.since = now;
  }

  arrived(now: number, account: string | undefined): void {
    this.total += 1;
    this.inFlight += 1;
    this.first ??= now;
    this.last = now;
    this.minute(now).requests += 1;
    this.allWindow.add(now);
    if (account !== undefined) this.account(account).requests += 1;
  }

  accepted(now: number, account: string): void {
    this.minute(now).accepted += 1;
    this.acceptedWindow.add(now);
    this.account(account).accepted += 1;
  }

  /** An answer with a status line was sent (or, for `truncated`, started). */
  answered(account: string | undefined, status: number, outcome: Outcome, cfCode?: number): void {
    this.inFlight -= 1;
    increment(this.byStatus, String(status));
    if (cfCode !== undefined) increment(this.byCode, String(cfCode));
    this.byOutcome[outcome] += 1;
    if (account !== undefined) {
      const stats = this.account(account);
      increment(stats.byStatus, String(status));
      if (outcome === 'ok') stats.ok += 1;
    }
  }

  /** The request got no answer: its connection was dropped, it will hang, or the client left. */
  unanswered(outcome: 'dropped' | 'hung' | 'aborted'): void {
    this.inFlight -= 1;
    this.byOutcome[outcome] += 1;
  }

  charged(account: string, tokens: number, neurons: number): void {
    this.tokens += tokens;
    this.neurons += neurons;
    const stats = this.account(account);
    stats.tokens += tokens;
    stats.neurons += neurons;
  }

  snapshot(extra: { hanging: number; queuedForcedAnswers: number }): ServerStats {
    const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
    return {
      since: new Date(this.since).toISOString(),
      firstRequestAt: iso(this.first),
      lastRequestAt: iso(this.last),
      total: this.total,
      inFlight: this.inFlight,
      hanging: extra.hanging,
      byStatus: { ...this.byStatus },
      byCode: { ...this.byCode },
      byOutcome: { ...this.byOutcome },
      perMinute: [...this.minutes.entries()]
        .sort(([a], [b]) => a - b)
        .map(([minute, bucket]) => ({ minute: new Date(minute * 60_000).toISOString(), ...bucket })),
      maxInAnyWindow: { windowMs: RATE_WINDOW_MS, all: this.allWindow.max, accepted: this.acceptedWindow.max },
      tokens: this.tokens,
      neurons: this.neurons,
      accounts: Object.fromEntries([...this.accounts].map(([id, s]) => [id, { ...s, byStatus: { ...s.byStatus } }])),
      queuedForcedAnswers: extra.queuedForcedAnswers,
    };
  }

  private minute(now: number): { requests: number; accepted: number } {
    const key = Math.floor(now / 60_000);
    let bucket = this.minutes.get(key);
    if (!bucket) {
      bucket = { requests: 0, accepted: 0 };
      this.minutes.set(key, bucket);
    }
    return bucket;
  }

  private account(id: string): AccountStats {
    let stats = this.accounts.get(id);
    if (!stats) {
      stats = { requests: 0, accepted: 0, ok: 0, byStatus: {}, tokens: 0, neurons: 0 };
      this.accounts.set(id, stats);
    }
    return stats;
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
