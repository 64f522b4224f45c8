import { SentimentBatchError } from '../errors.js';
import type { Outcome } from '../io/record.js';
import { MALFORMED_ANSWER } from '../scoring/answer.js';
import { FailureStreak } from './failure-streak.js';

/**
 * Telling "the service is failing" from "something else answers in its place". When every row sent since the last
 * good answer got a complete answer that is not the model's (a proxy's or captive portal's HTML page, JSON of another
 * shape, `success: false` on a 200), the failure-rate stop says so and sends the operator to the base URL and the proxy
 * settings. Until 2026-12-05 it said `the service is failing: run the same command again once it answers`, though the
 * service (or whatever stood at the base URL) answered every request, and waiting changes nothing.
 * Answers cut off on the way (`bad_answer` too, but a network fault) do not count: they are not complete answers.
 */
export function foreignAnswerCause(outcome: Outcome): string | undefined {
  if (outcome.kind !== 'failed' || outcome.failure.code !== 'bad_answer') return undefined;
  return outcome.failure.message.startsWith(MALFORMED_ANSWER) ? outcome.failure.message : undefined;
}

/** Follows the rows sent to the model: whether every one since the last answer got an answer that is not the model's. */
export class ForeignAnswerTracker {
  private readonly foreign = new FailureStreak(foreignAnswerCause);

  /** One row that reached (or tried to reach) the model. */
  add(outcome: Outcome): void {
    this.foreign.add(outcome);
  }

  /** `error` (a failure-rate or --max-errors stop) told that the answers were not the model's, when that is why rows failed. */
  explain(error: SentimentBatchError): SentimentBatchError {
    // Every row since the last answer (an outage of 35 rows answered 500 and 15 an HTML page, the last a page, was told
    // to check the base URL and the proxy when only the last row was looked at).
    const streak = this.foreign.unmixed();
    if (streak === undefined) return error;
    const { cause, rows } = streak;
    return new SentimentBatchError(
      error.code,
      `the answers are not the model's: ${rows} sent got an answer that is not a Workers AI text-classification result (${cause}); ` +
        'check what answers at the base URL, and any proxy (HTTPS_PROXY / HTTP_PROXY) or gateway on the way, then run the same command again ' +
        `(${error.message})`,
    );
  }
}
