import { describe, expect, it } from 'vitest';
import { scoreHelp } from '../src/commands/help.js';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { SERVICE_FAILING } from '../src/job/job-failures.js';
import type { SummaryOf } from '../src/job/run-context.js';
import { StopController } from '../src/job/stop.js';
import { oneShotOf } from '../src/io/format.js';
import { stoppedSummary } from '../src/job/stopped-summary.js';
import type { Summary } from '../src/job/summary.js';
import { emptyTotals } from '../src/state/totals.js';

const FAILED = { kind: 'failed', failure: { code: 'http_500', message: 'Workers AI failed transiently (HTTP 500)', transient: true } } as const;
const summaryOf: SummaryOf = (status, exitCode, totals, message) => ({ status, exitCode, totals, ...(message ? { message } : {}) }) as unknown as Summary;

/** The error guard's stop for rows failing transiently (an outage), as a run on a failing service meets it. */
function outageStop(): SentimentBatchError {
  const guard = new ErrorGuard(undefined, 0.5);
  for (let i = 0; i < 100; i++) {
    const error = guard.record(true, true, false, FAILED);
    if (error) return error;
  }
  throw new Error('the guard never stopped');
}

/**
 * The summary of a run stopped by rows failing (exit 5). A run on standard input (`score -`) keeps no checkpoint, yet
 * its last line said "run the same command again once it answers (it continues where this run stopped, and scores
 * again the rows that failed transiently)": the next run scores the input from the beginning.
 */
describe('the summary of a run stopped by an outage', () => {
  for (const kind of ['too_many_errors', 'outage'] as const) {
    it(`${kind}: a run that keeps a checkpoint continues; one on standard input or output says it starts from the beginning, and why`, () => {
      const error = kind === 'outage' ? new SentimentBatchError('too_many_errors', `this run's request budget (--max-requests 50) is used up, spent on a service that failed; ${SERVICE_FAILING}`) : outageStop();
      const stop = new StopController();
      stop.request({ kind, error });
      const kept = stoppedSummary(stop, emptyTotals(), summaryOf);
      expect(kept.exitCode).toBe(ExitCode.TooManyErrors);
      expect(kept.message).toBe(error.message);
      const oneShot = stoppedSummary(stop, emptyTotals(), summaryOf, 'stdin');
      expect(oneShot.exitCode).toBe(ExitCode.TooManyErrors);
      expect(oneShot.message).not.toMatch(/continues where this run stopped/);
      expect(oneShot.message).toContain(`${SERVICE_FAILING} (a run on standard input or output keeps no checkpoint: that run scores the input from the beginning)`);
      // A file written to standard output (-o -): what the run left there, and how a run keeps its progress.
      const toStdout = stoppedSummary(stop, { ...emptyTotals(), read: 50 }, summaryOf, 'stdout');
      expect(toStdout.message).toContain(
        `${SERVICE_FAILING} (standard output keeps no checkpoint: the 50 rows written there are all this run leaves, and that run scores every row again, from the first; to keep a run's progress, write to a file (-o FILE))`,
      );
    });
  }
});

// A signal 3 s into `score in.csv -o -` against a slow service, one row written: it said "the 1 row written there are
// all this run leaves" (2026-12-07).
describe('a -o - run that wrote one row', () => {
  it('says the row written there is all this run leaves, in the singular', () => {
    const stop = new StopController();
    stop.request({ kind: 'interrupt', signal: 'SIGINT' });
    const message = stoppedSummary(stop, { ...emptyTotals(), read: 1 }, summaryOf, 'stdout').message ?? '';
    expect(message).toContain('standard output keeps no checkpoint: the 1 row written there is all this run leaves, and the next run scores every row again');
  });

  // A signal before the first answer: nothing written, said in the plural ('0 rows … are').
  it('and none written: the plural', () => {
    const stop = new StopController();
    stop.request({ kind: 'interrupt', signal: 'SIGINT' });
    const message = stoppedSummary(stop, emptyTotals(), summaryOf, 'stdout').message ?? '';
    expect(message).toContain('standard output keeps no checkpoint: the 0 rows written there are all this run leaves');
  });
});

// score --help said "Run the same command again to resume an interrupted run" and that -o - keeps no checkpoint, and
// nothing of INPUT -, which keeps none either.
describe('score --help: a run on standard input keeps no checkpoint', () => {
  it('says so beside -o -, and why', () => {
    const help = scoreHelp('score');
    expect(help).toContain('-o - writes the records to standard output instead (no checkpoint: such a run cannot resume).');
    expect(help).toMatch(/\nINPUT - \(standard input\) keeps no checkpoint either: .*\n?.*starts again from the beginning/);
    // A job file's run names its input in the file: the line is score's.
    expect(scoreHelp('run')).not.toContain('INPUT -');
  });
});

// The daily allocation's pause quotes the service, whose words end "if you would like to continue usage.": a run on
// standard input rewrote them too ("if you would like: a run on standard input or output keeps no checkpoint, … usage.").
describe('the pause of a run on standard input', () => {
  it("rewrites the advice's 'to resume' once, and leaves the service's own words as they are", () => {
    const said = 'you have used up your daily free allocation of 2 neurons, please upgrade to Cloudflare\'s Workers Paid plan if you would like to continue usage.';
    const error = new SentimentBatchError('daily_quota', `Workers AI daily free allocation is used up (HTTP 429, code 4006): the allocation resets at 00:00 UTC; run the same command again after that to resume (or move the account to Workers Paid); the service said: ${said}`);
    const stop = new StopController();
    stop.request({ kind: 'pause', error });
    const message = stoppedSummary(stop, emptyTotals(), summaryOf, 'stdin').message ?? '';
    expect(message).toBe(
      `Workers AI daily free allocation is used up (HTTP 429, code 4006): the allocation resets at 00:00 UTC; run the same command again after that: a run on standard input or output keeps no checkpoint, so that run scores the input from the beginning (or move the account to Workers Paid); the service said: ${said}`,
    );
  });
});

// Why a run keeps no checkpoint decides what its stop lines offer: standard input is read afresh whatever the output,
// and a file scored to standard output (-o -) is told what it left there and to write to a file instead.
describe('a run that keeps no checkpoint, stopped', () => {
  it('is one on standard input whatever its output, one to standard output of a file, and none with files', () => {
    expect(oneShotOf({ input: '-', output: 'out.csv' })).toBe('stdin');
    expect(oneShotOf({ input: '-', output: '-' })).toBe('stdin');
    expect(oneShotOf({ input: 'in.csv', output: '-' })).toBe('stdout');
    expect(oneShotOf({ input: 'in.csv', output: 'out.csv' })).toBeUndefined();
  });

  it('by a signal or a pause: each says what the next run does, a file to standard output with the rows it wrote', () => {
    const stopped = (stop: StopController, oneShot: 'stdin' | 'stdout') => stoppedSummary(stop, { ...emptyTotals(), read: 50, scored: 20 }, summaryOf, oneShot).message;
    const signal = new StopController();
    signal.request({ kind: 'interrupt', signal: 'SIGINT' });
    expect(stopped(signal, 'stdin')).toBe('stopped by SIGINT; a run on standard input or output keeps no checkpoint: the next one starts from the beginning');
    expect(stopped(signal, 'stdout')).toBe(
      "stopped by SIGINT; standard output keeps no checkpoint: the 50 rows written there are all this run leaves, and the next run scores every row again, from the first; to keep a run's progress, write to a file (-o FILE)",
    );
    const pause = new StopController();
    pause.request({ kind: 'pause', error: new SentimentBatchError('daily_quota', 'the allocation resets at 00:00 UTC; run the same command again after that to resume') });
    expect(stopped(pause, 'stdout')).toBe(
      "the allocation resets at 00:00 UTC; run the same command again after that (standard output keeps no checkpoint: the 50 rows written there are all this run leaves, and that run scores every row again, from the first; to keep a run's progress, write to a file (-o FILE))",
    );
  });
});
