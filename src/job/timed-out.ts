import { SentimentBatchError } from '../errors.js';
import type { Outcome } from '../io/record.js';
import { FailureStreak } from './failure-streak.js';

/**
 * Telling "the service is down" from "the service is slower than --timeout". When every row sent since the last answer
 * failed at the per-attempt timeout, the failure-rate stop says so and names --timeout. Before, it said only `the
 * service is failing: run the same command again once it answers`: against `serve --latency 2500ms`, a run with
 * `--timeout 2s` stopped exit 5 after 332 requests that the server answered 200 (331, each one run and billed), and
 * every rerun did the same, as the service answered all along, only later than the run waited.
 * A connect that times out is not this: nothing reached the service (`network`, unreachable.ts says it).
 */
export function timedOutCause(outcome: Outcome): string | undefined {
  return outcome.kind === 'failed' && outcome.failure.code === 'timeout' ? outcome.failure.message : undefined;
}

/**
 * `error` (a failure-rate or --max-errors stop) told that the rows timed out, when every row `streak` followed since
 * the last answer did (a FailureStreak of timedOutCause), none of them failing otherwise.
 */
export function explainTimedOut(streak: FailureStreak, error: SentimentBatchError): SentimentBatchError {
  // Every row since the last answer: timeouts among 500s are an outage, whichever came last (serve --hang-rate 0.5
  // --fail-rate 0.5 was told "a longer --timeout gives it time" when its last row happened to time out).
  const current = streak.unmixed();
  if (current === undefined) return error;
  return new SentimentBatchError(
    error.code,
    `the service did not answer in time: ${current.rows} sent timed out (${current.cause}); if it is slow rather than down, a longer --timeout ` +
      `gives it time (a request that timed out may still have been run and billed), else run the same command again once it answers (${error.message})`,
  );
}
