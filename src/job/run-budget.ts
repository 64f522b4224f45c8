import { ScoringError, SentimentBatchError } from '../errors.js';
import { SERVICE_FAILING } from './job-failures.js';
import type { StopController } from './stop.js';
import { madeNoConnection, proxyMadeNoTunnel } from './unreachable.js';

export interface RunBudgetLimits {
  /** Requests this run may send: every attempt that reached the service counts, answered or not. */
  maxRequests?: number | undefined;
  /** Neurons this run may be billed (see surelyNotBilled for what a failed attempt gives back). */
  maxNeurons?: number | undefined;
  /**
   * How the pause names them, with their values: `"maxRequests" 500` when a job file gave it (its key, not a flag
   * nobody typed); default `--max-requests 500`, `--max-neurons 9000`.
   */
  names?: { maxRequests?: string | undefined; maxNeurons?: string | undefined };
}

/** A request's claim on the neuron budget, settled once its attempt ends. */
export interface NeuronReservation {
  /** The attempt was answered: its neurons are billed, the reservation stays spent. */
  keep(): void;
  /** The attempt failed (not billed): its neurons go back to the budget. */
  release(): void;
  /** No connection was made: nothing was sent, so neither the request nor its neurons count. */
  unsent(): void;
}

/**
 * The budgets of one run (a resumed run gets a fresh one). The request budget
 * counts requests sent. The neuron budget counts what the service may bill,
 * and must never be exceeded by requests in flight: each attempt reserves its
 * neurons before it is sent, an answer keeps them, and a failure gives them back
 * only when it surely cost nothing (surelyNotBilled, below). A request that does not fit while others are in flight waits
 * for them to settle (a failure may leave room) before the run pauses.
 */
export class RunBudget {
  private requests = 0;
  /** Neurons kept (answered, or maybe billed) plus those reserved by requests in flight. */
  private neurons = 0;
  private inFlight = 0;
  private settled: Array<() => void> = [];

  constructor(
    private readonly limits: RunBudgetLimits,
    private readonly stop: StopController,
    /** What this run already spent through another scorer (a resumed run's requests, before it mends): counted against the same limits. */
    spent: { requests: number; neurons: number } = { requests: 0, neurons: 0 },
    /**
     * What the requests went to when the service looks down (`a service that looks down: the last 8 attempts failed
     * (…)`), else undefined. A nightly budget spent on retries into an outage paused before the error guard had its 50
     * rows (300 requests at 6 attempts decide 45), and its line asked for a new budget: an outage read as a budget too small.
     */
    private readonly spentOn: () => string | undefined = () => undefined,
  ) {
    this.requests = spent.requests;
    this.neurons = spent.neurons;
  }

  /**
   * Claims one request and its neurons, waiting for requests in flight when only
   * their outcome can tell; throws (and asks the run to pause) when the budget is used up.
   */
  async reserve(neurons: number): Promise<NeuronReservation> {
    const { maxRequests, maxNeurons } = this.limits;
    if (maxRequests !== undefined && this.requests + 1 > maxRequests) {
      const budget = `this run's request budget (${this.limits.names?.maxRequests ?? `--max-requests ${maxRequests}`}) is used up`;
      const down = this.spentOn();
      if (down !== undefined) throw this.outage(`${budget}, spent on ${down}; ${SERVICE_FAILING}`);
      throw this.pause(budget);
    }
    while (maxNeurons !== undefined && this.neurons + neurons > maxNeurons) {
      if (this.inFlight === 0) throw this.pause(`this run's neuron budget (${this.limits.names?.maxNeurons ?? `--max-neurons ${maxNeurons}`}) would be exceeded`);
      await new Promise<void>((resolve) => this.settled.push(resolve));
      if (this.stop.requested) throw new SentimentBatchError('interrupted', 'stopping');
    }
    if (this.stop.requested) throw new SentimentBatchError('interrupted', 'stopping');
    this.requests += 1;
    this.neurons += neurons;
    this.inFlight += 1;
    let open = true;
    const settle = (refund: number, request = 0): void => {
      if (!open) return;
      open = false;
      this.neurons -= refund;
      this.requests -= request;
      this.inFlight -= 1;
      const waiting = this.settled;
      this.settled = [];
      for (const wake of waiting) wake();
    };
    return { keep: () => settle(0), release: () => settle(neurons), unsent: () => settle(neurons, 1) };
  }

  private pause(message: string): SentimentBatchError {
    const error = new SentimentBatchError('budget', `${message}; run the same command again to continue (each run has a budget of its own)`);
    this.stop.request({ kind: 'pause', error });
    return error;
  }

  /**
   * The budget went on a service that looks down: a failure (exit 5), as the error guard's stop for the same outage,
   * not a pause. A 75 is "try later", which the shipped schedulers (jobs/) take for success: with `--max-requests` a
   * night of the service down ended 75 and alerted nobody, where with no budget or a neuron budget it ended 5. The stop
   * leaves the files as a pause does (stop.ts 'outage'): the next run continues and pays nothing twice.
   */
  private outage(message: string): SentimentBatchError {
    const error = new SentimentBatchError('too_many_errors', message);
    this.stop.request({ kind: 'outage', error });
    return error;
  }
}

/**
 * Whether a failed attempt certainly cost nothing: the service answered with an
 * error status, or no connection was ever made. A timeout, a connection dropped
 * mid-answer or a 200 with a broken body may have been run and billed, so those
 * keep their reservation: the budget must never be exceeded by what we cannot see.
 */
export function surelyNotBilled(error: unknown): boolean {
  if (!(error instanceof ScoringError)) return false;
  if (error.status !== undefined && error.status >= 400) return true;
  return neverSent(error);
}

/** The row codes of failures that stop an attempt before its request is written (neverSent). */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['address_space', 'client', 'tls', 'proxy']);

/**
 * Whether an attempt failed before any connection was made (refused, no such host), or before the HTTP client could
 * start at all (`address_space`: its parser's WebAssembly memory refused under `ulimit -v`; `client`: it refused the
 * request as malformed, transport-failure.ts CLIENT_BUG_CODES, checked before a byte is written), or before the request
 * could be written to the service (`tls`: the handshake failed, on a certificate not trusted or a server that speaks no
 * TLS; `proxy`: HTTP(S)_PROXY answered the tunnel 407 or 403; a `network` failure of a proxy that could not tunnel for
 * now, 502 or 503, retried), or cut off by a shutdown while its connection was still being made (`unsent`,
 * scoring/abandon-on-abort.ts): the request never left.
 */
export function neverSent(error: unknown): boolean {
  if (!(error instanceof ScoringError)) return false;
  if (error.unsent || NEVER_SENT_CODES.has(error.rowCode)) return true;
  return error.rowCode === 'network' && (madeNoConnection(error.message) || proxyMadeNoTunnel(error.message));
}

/**
 * Whether an attempt the stop cut off in flight met the failure the run stopped on: the run stopped fatally on a
 * failure of one of `codes` (row codes) and the service answered none of its requests. Every request of a run meets
 * the same such failure, so one cut off in flight met it too:
 * - REFUSED_TOKEN (surely cost nothing): the service refused the run's API token (401, code 10000: rowCode 'auth').
 *   Every request carries the same token, which the service checks before it runs the model: one cut off in flight was
 *   refused too, if it got there. Kept as maybe billed, it was 0.0335 neurons in the checkpoint beside the summary's
 *   "neurons billable 0", and the next run said the unfinished job had paid for requests.
 * - REFUSED_CONNECTION (surely never sent): a TLS handshake that failed or a proxy that refused the tunnel (`tls`,
 *   `proxy`: neverSent). Every request goes to the same origin through the same proxy: one cut off in its handshake
 *   would have failed there too, before a byte of it was written. Counted as sent and maybe billed, it made a run that
 *   sent the service nothing (an https:// base URL on `serve`) say `requests sent 1` and up to 0.034 neurons maybe billed.
 * A run that had answers may have had its token revoked during it: its requests in flight may have been run, and stay
 * counted. `answeredAny` is the run's, not one scorer's: a mend after a resumed pass has a scorer of its own
 * (row-scorer-factory.ts shares the flag).
 */
export function cutOffBy(stop: StopController, answeredAny: boolean, codes: ReadonlySet<string>): boolean {
  const reason = stop.reason;
  return !answeredAny && reason?.kind === 'fatal' && reason.error instanceof ScoringError && codes.has(reason.error.rowCode);
}

/** The stop's row code of a refused API token: an attempt it cut off in flight was refused too (cutOffBy). */
export const REFUSED_TOKEN: ReadonlySet<string> = new Set(['auth']);
/** The stop's row codes of a connection refused before a byte was written: an attempt it cut off was never sent (cutOffBy). */
export const REFUSED_CONNECTION: ReadonlySet<string> = new Set(['tls', 'proxy']);
