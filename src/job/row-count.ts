import type { Outcome } from '../io/record.js';
import type { Totals } from '../state/totals.js';
import type { ErrorGuard } from './error-guard.js';
import { READER_FAILURES } from './reader-failures.js';
import { TEXT_TOO_LONG } from './row-plan.js';
import type { StopController } from './stop.js';

/** Counts one row written into `totals` (a scored row's label into `labels`), and tells the guard of it (guardRow). */
export function countRow(options: { totals: Totals; guard: ErrorGuard; stop: StopController; labels?: { scored(label: string): void } }, outcome: Outcome): void {
  const { totals, guard, stop } = options;
  totals.read += 1;
  if (outcome.kind === 'scored') {
    totals.scored += 1;
    options.labels?.scored(outcome.label);
    if (outcome.cached) totals.cached += 1;
    if (outcome.duplicate) totals.duplicates += 1;
    if (outcome.truncated) totals.truncated += 1;
  } else if (outcome.kind === 'skipped') {
    totals.skipped += 1;
  } else {
    totals.failed += 1;
    if (outcome.duplicate) totals.duplicates += 1;
  }
  guardRow(guard, stop, outcome);
}

/** Tells `guard` of one row written (the pipeline's, a mend's), and stops the run when the row trips it. */
export function guardRow(guard: ErrorGuard, stop: StopController, outcome: Outcome): void {
  // Rows sent to the model: those that sent a request of their own, whatever its answer; not a row answered from
  // the cache, nor one answered by an earlier row's request (its scores or its failure: "duplicates saved").
  const reachedModel = outcome.kind === 'scored' ? !outcome.cached && !outcome.duplicate : outcome.kind === 'failed' && !isReadFailure(outcome) && !outcome.duplicate;
  const unreadable = outcome.kind === 'failed' && READER_FAILURES.has(outcome.failure.code);
  const tripped = guard.record(outcome.kind === 'failed', reachedModel, unreadable, outcome);
  if (tripped) stop.request({ kind: 'too_many_errors', error: tripped });
}

/** Failures that never reached the model: the readers' and a text refused by --long-text fail. */
const READ_FAILURES = new Set([...READER_FAILURES, TEXT_TOO_LONG]);
function isReadFailure(outcome: Outcome): boolean {
  return outcome.kind === 'failed' && READ_FAILURES.has(outcome.failure.code);
}
