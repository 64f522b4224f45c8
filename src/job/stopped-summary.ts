import { ExitCode, SentimentBatchError } from '../errors.js';
import type { Totals } from '../state/totals.js';
import { CONTINUES_LATER } from './error-guard.js';
import { SERVICE_FAILING, SERVICE_FAILING_AT_END } from './job-failures.js';
import type { SummaryOf } from './run-context.js';
import type { StopController } from './stop.js';
import type { Summary } from './summary.js';
import { counted } from '../wording/counted.js';
import type { OneShot } from '../io/format.js';

/** What a `-o -` run leaves, what the next one does, and how a run keeps its progress: said by each stop that would continue. */
function stdoutKeepsNone(written: number, next: string): string {
  return `standard output keeps no checkpoint: the ${counted(written, 'row')} written there ${written === 1 ? 'is' : 'are'} all this run leaves, and ${next} scores every row again, from the first; to keep a run's progress, write to a file (-o FILE)`;
}

/** The summary of a run that ended before its output was complete, told by why it stopped. */
export function stoppedSummary(stop: StopController, totals: Totals, summaryOf: SummaryOf, oneShot?: OneShot): Summary {
  const resumable = oneShot === undefined;
  const reason = stop.reason;
  if (!reason) throw new SentimentBatchError('internal', 'the pipeline ended early without a reason');
  switch (reason.kind) {
    case 'interrupt':
      return summaryOf(
        'interrupted',
        ExitCode.Interrupted,
        totals,
        `stopped by ${reason.signal}; ${resumable ? 'the checkpoint is saved' : oneShot === 'stdout' ? stdoutKeepsNone(totals.read, 'the next run') : 'a run on standard input or output keeps no checkpoint: the next one starts from the beginning'}`,
      );
    case 'pause':
      return summaryOf('paused', ExitCode.Paused, totals, resumable ? reason.error.message : withoutResume(reason.error.message, oneShot, totals.read));
    case 'too_many_errors':
    case 'outage':
      return summaryOf('failed', ExitCode.TooManyErrors, totals, resumable ? reason.error.message : startsOver(reason.error.message, oneShot, totals.read));
    case 'fatal':
      return summaryOf('failed', reason.error.exitCode, totals, reason.error.message);
    case 'fault':
      // A fault the scorer met (the journal on a full disk) is summarized as a fatal error is (the command then throws
      // it with these figures: run-figures.ts summarizedFault); one a pass threw (StopController.fault) is never
      // summarized: it goes on as thrown.
      if (reason.error instanceof SentimentBatchError) return summaryOf('failed', reason.error.exitCode, totals, reason.error.message);
      throw reason.error;
  }
}

/**
 * A pause's advice says when to run again "to resume" (a long Retry-After, the daily allocation: scoring/retry.ts,
 * classify.ts), or "to continue" (a budget: run-budget.ts). A run on standard input or output keeps no checkpoint: the
 * run after the wait scores the input from the beginning, as its status line says; the advice said otherwise.
 */
function withoutResume(message: string, oneShot: OneShot, written: number): string {
  const fromStart = oneShot === 'stdout' ? ` (${stdoutKeepsNone(written, 'that run')})` : ': a run on standard input or output keeps no checkpoint, so that run scores the input from the beginning';
  // "run the same command again to continue" (a budget) would promise the same input again: it is read afresh.
  // Once, where the advice says it first: the daily allocation's quotes the service's own words after it ("if you
  // would like to continue usage."), which a second replace rewrote.
  const rewrites: Array<[RegExp, string]> = [
    [/ the same command again to continue\b/, ` again${fromStart}`],
    [/ to resume\b/, fromStart],
    [/ to continue\b/, fromStart],
  ];
  const at = (said: RegExp) => message.search(said);
  const first = rewrites.filter(([said]) => at(said) >= 0).sort(([a], [b]) => at(a) - at(b))[0];
  return first === undefined ? message : message.replace(first[0], first[1]);
}

/**
 * An outage's stop (the error guard's, or a budget spent on a failing service: exit 5) tells to run again once the
 * service answers, and the guard's said "it continues where this run stopped": a run on standard input or output
 * keeps no checkpoint, so the next one scores the input from the beginning, and the line says so, and why. So does
 * the verdict on such a run's complete output over the limit, which said the rerun re-scores just the failed rows.
 */
export function startsOver(message: string, oneShot: OneShot, written: number): string {
  const why = oneShot === 'stdout' ? stdoutKeepsNone(written, 'that run') : 'a run on standard input or output keeps no checkpoint: that run scores the input from the beginning';
  const fromStart = `${SERVICE_FAILING} (${why})`;
  // The verdict on a complete output (completed-pass-summary.ts) said "it re-scores just the rows that failed transiently".
  const said = [CONTINUES_LATER, SERVICE_FAILING_AT_END].find((words) => message.includes(words)) ?? SERVICE_FAILING;
  return message.replace(said, fromStart);
}
