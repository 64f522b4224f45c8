import { ExitCode, ScoringError, SentimentBatchError } from '../errors.js';
import type { Outcome } from '../io/record.js';
import { machineFaultOf } from '../machine-fault.js';
import { describeFailure } from '../scoring/classify.js';
import type { Scores } from '../scoring/scorer.js';
import type { RowResult } from './dedupe.js';
import type { StopController } from './stop.js';
import { stopForUnexpected } from './unexpected-stop.js';

/** A model's answer as a row's outcome (`cached`: from the result cache, no request of this run). */
export function scoredOutcome(scores: Scores, truncated: boolean, cached: boolean): Outcome & { kind: 'scored' } {
  return { kind: 'scored', label: scores.label, positive: scores.positive, negative: scores.negative, truncated, cached };
}

/**
 * A scorer's failure as a row's outcome: the row's own (failed, written with its code), or a stop of the run that it
 * asks `stop` for (a pause, a fatal refusal, a machine fault, a bug), the row then abandoned for the next run.
 */
export function failureOutcome(error: unknown, stop: StopController): RowResult {
  if (error instanceof ScoringError) {
    if (error.kind === 'row' || error.kind === 'retry') return { kind: 'failed', failure: describeFailure(error) };
    stop.request({ kind: error.kind === 'pause' ? 'pause' : 'fatal', error });
    return { kind: 'abandoned' };
  }
  // A budget used up (run-budget.ts: 'budget', or 'too_many_errors' when it went on a service that looks down) asked for its stop.
  if (error instanceof SentimentBatchError && (error.code === 'interrupted' || error.code === 'budget' || error.code === 'too_many_errors')) return { kind: 'abandoned' };
  if (error instanceof SentimentBatchError) {
    // Not the service's answer (that is a ScoringError, above): the shared limit's Redis refusing a slot (out of
    // memory, a password it now asks for). The requests in flight had their slots and the service answers, and bills,
    // them: they get the grace period and their answers are journaled. A fatal stop aborted them at once, and the next
    // run paid for them again (3 of 4 in flight, test/e2e-redis-refusal-in-flight.test.ts).
    if (error.exitCode === ExitCode.Paused) stop.request({ kind: 'pause', error });
    else stop.fault(error);
    return { kind: 'abandoned' };
  }
  // The machine refused a write of this run's own (the answer journal on a full disk): exit 74 naming the file, as a
  // full disk writing the output is, not an unexpected error (exit 1). The stop keeps the run's figures. Not a fatal
  // stop: that aborts the requests in flight at once, and one aborted before it left was counted though the service
  // never saw it (a mend's full disk: 29 requests in its summary, 28 received).
  const fault = machineFaultOf(error);
  if (fault) {
    stop.fault(fault);
    return { kind: 'abandoned' };
  }
  return stopForUnexpected(stop, error);
}
