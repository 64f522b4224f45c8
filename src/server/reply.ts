/**
 * Ways to end one API request: a JSON answer, an error envelope, or one of
 * the faults (malformed body, truncated body, dropped connection, hang).
 * Each records itself in the stats exactly once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, MALFORMED_BODY } from './envelope.js';
import type { Outcome, StatsRecorder } from './stats.js';

/** What the server keeps track of so that `close()` can end held connections. */
export interface ConnectionTracker {
  hold(res: ServerResponse): void;
}

export class Reply {
  private finished = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly stats: StatsRecorder,
    private readonly tracker: ConnectionTracker,
    /** Set once the account is known from the path. */
    public account: string | undefined = undefined,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  success(body: string): void {
    this.send(200, body, 'ok');
  }

  /** An error in the Cloudflare envelope; `retryAfterSeconds` adds a Retry-After header. */
  error(status: number, code: number, message: string, retryAfterSeconds?: number): void {
    const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.max(0, Math.ceil(retryAfterSeconds))) };
    this.send(status, errorBody(code, message), 'error', code, headers);
  }

  /** 200 with a body that is not JSON, but labelled as JSON. */
  malformed(): void {
    this.send(200, MALFORMED_BODY, 'malformed');
  }

  /**
   * 200 with the start of a valid body, then the connection is cut. `variant`
   * in [0, 1) picks the framing (a Content-Length larger than what arrives,
   * or a chunked body without its last chunk) and where the body is cut.
   */
  truncated(body: string, variant: number): void {
    if (!this.begin()) return;
    this.stats.answered(this.account, 200, 'truncated');
    if (this.res.destroyed) return;
    const withLength = variant < 0.5;
    const cutFraction = 0.2 + 0.6 * ((variant * 2) % 1);
    const cut = Math.max(1, Math.min(body.length - 1, Math.floor(body.length * cutFraction)));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (withLength) headers['content-length'] = String(Buffer.byteLength(body));
    this.res.writeHead(200, headers);
    this.res.write(body.slice(0, cut), () => this.res.socket?.destroy());
  }

  /** Destroys the connection without a status line. */
  drop(): void {
    if (!this.begin()) return;
    this.stats.unanswered('dropped');
    this.req.socket.destroy();
  }

  /** The client closed the connection before sending the whole body: nothing to answer. */
  abandoned(): void {
    if (this.begin()) this.stats.unanswered('aborted');
  }

  /** Never answers; the server ends the connection when it closes. */
  hang(): void {
    if (!this.begin()) return;
    this.stats.unanswered('hung');
    this.tracker.hold(this.res);
  }

  private send(status: number, body: string, outcome: Outcome, cfCode?: number, extra: Record<string, string> = {}): void {
    if (!this.begin()) return;
    this.stats.answered(this.account, status, outcome, cfCode);
    if (this.res.destroyed) return; // the client gave up while we waited
    this.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    });
    this.res.end(body);
  }

  private begin(): boolean {
    if (this.finished) return false;
    this.finished = true;
    return true;
  }
}
