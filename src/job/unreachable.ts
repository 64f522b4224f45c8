import { SentimentBatchError } from '../errors.js';
import type { Outcome } from '../io/record.js';
import { loopbackInContainerHint } from '../wording/in-container.js';
import { FailureStreak } from './failure-streak.js';

/**
 * Telling "the service is down" from "rows are failing". When every row since
 * the last answer failed without a connection ever being made (refused, no such
 * host, connect timeout), the failure-rate stop says that the service could not
 * be reached, instead of only a share of failed rows.
 */

/** Network errors in which no connection was made: nothing reached the service. */
const NO_CONNECTION = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/;

/** Whether a network failure's message says no connection was made (nothing reached the service). */
export function madeNoConnection(message: string): boolean {
  return NO_CONNECTION.test(message);
}

/** undici's words for a proxy that answered CONNECT with anything but 200: no tunnel, so nothing went through it. */
const NO_TUNNEL = /\bProxy response \((\d{3})\) !== 200 when HTTP Tunneling\b/;

/** Whether a network failure's message says the proxy opened no tunnel (a 502, a 503: it cannot reach the service now). */
export function proxyMadeNoTunnel(message: string): boolean {
  return NO_TUNNEL.test(message);
}

/** The failure's message when the row failed because the service could not be reached (directly, or by the proxy). */
function unreachableCause(outcome: Outcome): string | undefined {
  if (outcome.kind !== 'failed' || outcome.failure.code !== 'network') return undefined;
  const message = outcome.failure.message;
  return madeNoConnection(message) || proxyMadeNoTunnel(message) ? message : undefined;
}

/** Follows the rows sent to the model: whether every one since the last answer failed unreached. */
export class ReachTracker {
  private readonly unreached = new FailureStreak(unreachableCause);

  /** One row that reached (or tried to reach) the model. */
  add(outcome: Outcome): void {
    this.unreached.add(outcome);
  }

  /** `error` (a failure-rate stop) told that the service could not be reached, when that is why rows failed. */
  explain(error: SentimentBatchError): SentimentBatchError {
    const streak = this.unreached.current();
    if (streak === undefined) return error;
    const { cause, rows } = streak;
    // Through a proxy (transport-failure.ts names it and its variable), the connection that failed was the proxy's.
    const proxy = / through the proxy (\S+) \(set by (\w+)\)/.exec(cause);
    // A proxy that answered its CONNECT 502 or 503 was reached: it could not reach the service, and said so to every row
    // (before, the stop said "the service is failing: run the same command again once it answers", though not one
    // request had left the proxy: 0 requests for 50 rows failed).
    const tunnel = NO_TUNNEL.exec(cause)?.[1];
    if (proxy && tunnel !== undefined) {
      return new SentimentBatchError(
        error.code,
        `the proxy ${proxy[1]} (from ${proxy[2]}) opened no tunnel to the service: ${rows} sent were answered ${tunnel} by the proxy, and none reached the service (${cause}); ` +
          `check that the proxy can reach the base URL's host (or name the host in NO_PROXY to reach it directly), then run the same command again (${error.message})`,
      );
    }
    const what = proxy ? `the proxy ${proxy[1]} (from ${proxy[2]})` : 'the service';
    const check = proxy ? `check that the proxy is up and that ${proxy[2]} names the right one (or name the host in NO_PROXY to reach it directly)` : 'check that it is up and the base URL';
    const hint = proxy ? '' : loopbackInContainerHint(cause);
    // Rows before these reached it and failed otherwise (500s): "could not be reached" was said of the whole outage.
    if (this.unreached.afterOtherFailures()) {
      return new SentimentBatchError(
        error.code,
        `${rows} sent failed without a connection (${cause})${hint}, after rows that reached ${proxy ? 'the proxy' : 'the service'} and failed otherwise since its last answer: ` +
          `it may have gone down meanwhile; ${check}, then run the same command again (${error.message})`,
      );
    }
    return new SentimentBatchError(
      error.code,
      `${what} could not be reached: ${rows} sent failed without a connection (${cause})${hint}; ${check}, then run the same command again (${error.message})`,
    );
  }
}
