/**
 * A Redis that stops answering with its connection still open (a paused or overloaded server, SIGSTOP, a stopped
 * container behind a live port forward) closes nothing: the client waits for its replies without end (no per-command
 * limit, see redis-connection.ts), and RedisOutageWatch, which counts an outage from the connection's close, never
 * started counting. A job then waited for its slots for good, silently, where a lost connection warns at once and
 * gives up after 2 minutes (exit 75). This probe PINGs the client now and then; no reply within `stallMs` cuts the
 * connection and reconnects, so the stall is an outage like any other: warned, and given up on after the limit.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { redactRedisUrl } from './redis-url.js';

export interface LivenessOptions {
  /** The URL for messages (redacted here). */
  url: string;
  /** No reply to a PING within this: the connection is cut and made again. */
  stallMs: number;
  /** How often to PING while the connection is up. */
  everyMs: number;
  log?: Logger;
}

export class RedisLiveness {
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly client: Redis,
    private readonly options: LivenessOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.probe(), this.options.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private probe(): void {
    if (this.probing || this.client.status !== 'ready') return;
    this.probing = true;
    const { stallMs, url, log } = this.options;
    let answered = false;
    const stalled = setTimeout(() => setImmediate(() => cut()), stallMs);
    // Decided after the poll phase that follows the timer: when this process itself was held up (a blocked event loop)
    // past `stallMs`, a reply waiting in the socket is read first, and is no stall of Redis.
    const cut = (): void => {
      if (answered) return;
      // Still up and still watched: cut the connection. Destroyed, not ended: a Redis that answers nothing does not close
      // its side either (ioredis's own disconnect waits 2 s for that). ioredis takes it as a lost connection: it
      // reconnects on its own and sends the commands left unanswered again once Redis answers.
      if (!this.timer || this.client.status !== 'ready') return;
      log?.warn({ redis: redactRedisUrl(url), stallSeconds: stallMs / 1000 }, 'Redis stopped answering with its connection open: reconnecting');
      this.client.stream.destroy();
    };
    stalled.unref();
    this.client
      .ping()
      .catch(() => undefined)
      .finally(() => {
        answered = true;
        clearTimeout(stalled);
        this.probing = false;
      });
  }
}
