import { describe, expect, it } from 'vitest';
import { errorPlace } from '../src/io/error-place.js';
import { ErrorGuard, STDOUT_ROWS } from '../src/job/error-guard.js';
import { judgeJob, shareFailure } from '../src/job/job-failures.js';
import { countMended, emptyFailureCounts } from '../src/state/failure-counts.js';

const limits = () => ({ maxErrors: undefined, maxErrorRate: 0.5, errorPlace: errorPlace('csv', 'sentiment') });

/** Feeds rows to a guard; returns the 1-based row that tripped it and the message, or undefined. */
function feed(guard: ErrorGuard, rows: Array<{ failed: boolean; reachedModel: boolean; readFailure: boolean }>) {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const error = guard.record(row.failed, row.reachedModel, row.readFailure);
    if (error) return { row: i + 1, message: error.message };
  }
  return undefined;
}

const ok = { failed: false, reachedModel: true, readFailure: false };
const unreadable = { failed: true, reachedModel: false, readFailure: true };
const sentAndFailed = { failed: true, reachedModel: true, readFailure: false };

describe('ErrorGuard', () => {
  it('counts rows that fail while reading toward --max-error-rate', () => {
    const tripped = feed(new ErrorGuard(undefined, 0.5), Array.from({ length: 300 }, () => unreadable));
    expect(tripped?.row).toBe(50);
    expect(tripped?.message).toMatch(/^50 of the last 50 rows read could not be read .*limit --max-error-rate 0\.5\)/);
  });

  it('judges the share over the last 200 rows read, so scattered bad rows do not stop a run', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? unreadable : ok));
    expect(feed(new ErrorGuard(undefined, 0.5), rows)).toBeUndefined();
    // The same rows trip a stricter limit.
    expect(feed(new ErrorGuard(undefined, 0.2), rows)?.message).toMatch(/rows read could not be read/);
  });

  it('still judges the rows sent to the model on their own', () => {
    const tripped = feed(new ErrorGuard(undefined, 0.5), Array.from({ length: 300 }, () => sentAndFailed));
    expect(tripped?.row).toBe(50);
    expect(tripped?.message).toMatch(/rows sent to the model failed/);
  });

  it('a stop says the exact counts, and what to do: run again after an outage, read the errors after refusals', () => {
    const outcomeOf = (transient: boolean) => ({ kind: 'failed' as const, failure: { code: transient ? 'http_500' : 'invalid_input', message: 'x', ...(transient ? { transient } : {}) } });
    const okOutcome = { kind: 'scored' as const, label: 'POSITIVE' as const, positive: 0.9, negative: 0.1, truncated: false, cached: false };
    const stopOf = (transient: boolean) => {
      const guard = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
      // 51 of the last 101: just over the limit, which a rounded share printed as "50%".
      for (let i = 0; i < 200; i++) {
        const fails = i % 2 === 1 || i === 100;
        const error = guard.record(fails, true, false, fails ? outcomeOf(transient) : okOutcome);
        if (error) return error.message;
      }
      return undefined;
    };
    const outage = stopOf(true);
    expect(outage).toMatch(/^\d+ of the last \d+ rows sent to the model failed \(limit --max-error-rate 0\.5\); stopping instead of burning through the file: the service is failing: run the same command again once it answers/);
    expect(outage).toMatch(/^51 of the last 101 rows/);
    expect(stopOf(false)).toMatch(/stopping instead of burning through the file: see the sentiment_error column of the partial output and the log$/);
  });

  it('rows whose answers are not the model\'s (a proxy\'s page, JSON of another shape) stop with what to check, not "the service is failing"', () => {
    const okOutcome = { kind: 'scored' as const, label: 'POSITIVE' as const, positive: 0.9, negative: 0.1, truncated: false, cached: false };
    const page = 'Workers AI sent a malformed answer: the body is not JSON (66 characters, starting "<html><body><h1>Welcome to the corporate proxy</h1></body></html>") (gave up after 2 attempts)';
    const foreign = { kind: 'failed' as const, failure: { code: 'bad_answer', message: page, transient: true } };
    const cutOff = { kind: 'failed' as const, failure: { code: 'bad_answer', message: 'The answer from http://127.0.0.1:8702 was cut off after 60 bytes (other side closed) (gave up after 6 attempts)', transient: true } };
    const stopAfter = (guard: ErrorGuard, failed: typeof foreign) => {
      for (let i = 0; i < 200; i++) {
        const fails = i >= 10;
        const error = guard.record(fails, true, false, fails ? failed : okOutcome);
        if (error) return error.message;
      }
      return undefined;
    };
    const rate = stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), foreign);
    expect(rate).toBe(
      `the answers are not the model's: the last 40 rows sent got an answer that is not a Workers AI text-classification result (${page}); ` +
        'check what answers at the base URL, and any proxy (HTTPS_PROXY / HTTP_PROXY) or gateway on the way, then run the same command again ' +
        '(40 of the last 50 rows sent to the model failed (limit --max-error-rate 0.5); stopping instead of burning through the file)',
    );
    expect(stopAfter(new ErrorGuard(5, 1, errorPlace('csv', 'sentiment')), foreign)).toMatch(/^the answers are not the model's: the last 6 rows sent .* \(more than 5 rows failed \(--max-errors\)\)$/);
    // Answers cut off on the way are a network fault: the outage's words stand.
    expect(stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), cutOff)).toMatch(/: the service is failing: run the same command again once it answers/);
  });

  it('rows that all timed out stop naming --timeout: the service may only be slower than the run waits, not down', () => {
    // Against serve --latency 2500ms with --timeout 2s: 332 requests, 331 of them answered 200 (run and billed) after
    // the run gave up on them, and the stop said only "the service is failing: run the same command again once it answers".
    const okOutcome = { kind: 'scored' as const, label: 'POSITIVE' as const, positive: 0.9, negative: 0.1, truncated: false, cached: false };
    const late = 'No complete answer from http://127.0.0.1:9474 within 2000 ms (the per-attempt timeout) (gave up after 6 attempts)';
    const timedOut = { kind: 'failed' as const, failure: { code: 'timeout', message: late, transient: true } };
    const outage = { kind: 'failed' as const, failure: { code: 'http_500', message: 'Workers AI failed (HTTP 500, code 3043) (gave up after 6 attempts)', transient: true } };
    const stopAfter = (guard: ErrorGuard, failedAs: (i: number) => typeof timedOut) => {
      for (let i = 0; i < 200; i++) {
        const error = guard.record(i >= 10, true, false, i >= 10 ? failedAs(i) : okOutcome);
        if (error) return error.message;
      }
      return undefined;
    };
    expect(stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), () => timedOut)).toBe(
      `the service did not answer in time: the last 40 rows sent timed out (${late}); if it is slow rather than down, a longer --timeout gives it time ` +
        '(a request that timed out may still have been run and billed), else run the same command again once it answers ' +
        '(40 of the last 50 rows sent to the model failed (limit --max-error-rate 0.5); stopping instead of burning through the file)',
    );
    expect(stopAfter(new ErrorGuard(5, 1, errorPlace('csv', 'sentiment')), () => timedOut)).toMatch(/^the service did not answer in time: the last 6 rows sent timed out .* \(more than 5 rows failed \(--max-errors\)\)$/);
    // Timeouts mixed with 500s since the last answer: an outage, said as one.
    expect(stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), (i) => (i % 2 === 0 ? timedOut : outage))).toMatch(/: the service is failing: run the same command again once it answers/);
    // Whichever came last: against serve --hang-rate 0.5 --fail-rate 0.5 (--timeout 1s --max-attempts 1), 50 rows half
    // answered 500, half timed out, the last one timed out: the stop said "the service did not answer in time: the last
    // row sent timed out … a longer --timeout gives it time", though it had answered 500 to half of them at once.
    expect(stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), (i) => (i % 2 === 1 ? timedOut : outage))).toMatch(/: the service is failing: run the same command again once it answers/);
    expect(stopAfter(new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment')), (i) => (i === 30 ? outage : timedOut))).toMatch(/: the service is failing: run the same command again once it answers/);
    // A small run, all of it timed out: its verdict at the end names --timeout too.
    const small = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
    for (let i = 0; i < 30; i++) small.record(true, true, false, timedOut);
    expect(small.final()?.message).toMatch(/^the service did not answer in time: the last 30 rows sent timed out .*a longer --timeout gives it time.* \(30 of 30 rows sent to the model failed in this run /);
  });

  it('an outage whose last row happened to get a page is still an outage: the foreign claim needs every row since the last answer', () => {
    // Against serve --fail-rate 0.7 --malformed-rate 0.3 --max-attempts 1 (seed 1), 35 rows answered 500 and 15 an HTML
    // page, the last of them a page: the stop said "the answers are not the model's … check what answers at the base URL".
    const page = 'Workers AI sent a malformed answer: the body is not JSON (65 characters, starting "<html>…") (gave up after 1 attempt)';
    const foreign = { kind: 'failed' as const, failure: { code: 'bad_answer', message: page, transient: true } };
    const outage = { kind: 'failed' as const, failure: { code: 'http_500', message: 'Workers AI failed (HTTP 500, code 3043) (gave up after 1 attempt)', transient: true } };
    const guard = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
    let stop: string | undefined;
    for (let i = 0; i < 100 && stop === undefined; i++) stop = guard.record(true, true, false, i % 3 === 1 ? foreign : outage)?.message;
    expect(stop).toMatch(/^50 of the last 50 rows sent to the model failed .*: the service is failing: run the same command again once it answers/);
    const small = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
    for (let i = 0; i < 30; i++) small.record(true, true, false, i === 29 ? foreign : outage);
    expect(small.final()?.message).toMatch(/^30 of 30 rows sent to the model failed in this run .*the service is failing/);
  });

  it('a small run whose every answer was not the model\'s says so at its end too, not "the service is failing"', () => {
    const page = 'Workers AI sent a malformed answer: the body is not JSON (65 characters, starting "<html>…") (gave up after 2 attempts)';
    const guard = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
    for (let i = 0; i < 30; i++) expect(guard.record(true, true, false, { kind: 'failed', failure: { code: 'bad_answer', message: page, transient: true } })).toBeUndefined();
    expect(guard.final()?.message).toMatch(/^the answers are not the model's: the last 30 rows sent got an answer that is not a Workers AI text-classification result \(Workers AI sent a malformed answer: .*\); check what answers at the base URL, and any proxy \(HTTPS_PROXY \/ HTTP_PROXY\) or gateway on the way, then run the same command again \(30 of 30 rows sent to the model failed in this run/);
  });

  it('the stops and verdicts that name a cause close on figures that agree with it, not on "the service is failing"', () => {
    // The closing parenthesis said "(more than 5 rows failed (--max-errors); the service is failing: run the same command
    // again once it answers (…))" after "the service could not be reached: …", and "…; the output is complete: the
    // service is failing: …" after "the answers are not the model's: … check what answers at the base URL".
    const page = 'Workers AI sent a malformed answer: the body is not JSON (65 characters, starting "<html>…") (gave up after 2 attempts)';
    const refused = 'Network error talking to http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9) (gave up after 6 attempts)';
    const failed = (code: string, message: string) => ({ kind: 'failed' as const, failure: { code, message, transient: true } });
    for (const outcome of [failed('bad_answer', page), failed('network', refused)]) {
      const capped = new ErrorGuard(5, 1, errorPlace('csv', 'sentiment'));
      let stop: string | undefined;
      for (let i = 0; i < 10 && stop === undefined; i++) stop = capped.record(true, true, false, outcome)?.message;
      expect(stop).toMatch(/then run the same command again \(more than 5 rows failed \(--max-errors\)\)$/);
      const small = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'));
      for (let i = 0; i < 30; i++) small.record(true, true, false, outcome);
      expect(small.final()?.message).toMatch(
        /then run the same command again \(30 of 30 rows sent to the model failed in this run \(limit --max-error-rate 0\.5\); the output is complete: the rerun re-scores just the rows that failed transiently\)$/,
      );
      for (const message of [stop, small.final()?.message]) expect(message).not.toContain('the service is failing');
    }
  });

  it("a mend's stop is worded for a mend: no partial output to read, nothing to continue from", () => {
    // Its copy is removed and the output left as it was: "it continues where this run stopped" and "the partial
    // output" named what a run leaves, not a mend.
    const outcomeOf = (transient: boolean) => ({ kind: 'failed' as const, failure: { code: transient ? 'http_500' : 'invalid_input', message: 'x', ...(transient ? { transient } : {}) } });
    const stopOf = (transient: boolean) => {
      const guard = ErrorGuard.forMend(0.5, errorPlace('csv', 'sentiment'));
      for (let i = 0; i < 100; i++) {
        const error = guard.record(true, true, false, outcomeOf(transient));
        if (error) return error.message;
      }
      return undefined;
    };
    expect(stopOf(true)).toBe(
      '50 of the last 50 rows sent to the model failed (limit --max-error-rate 0.5); stopping instead of burning through the file: the service is failing: run the same command again once it answers (the output is left as it was, its failed rows still listed: that run mends them)',
    );
    expect(stopOf(false)).toMatch(/: the service refused them for their text; the output is left as it was, its failed rows still listed and these errors not written: run again with --max-error-rate 1 to write them to the sentiment_error column$/);
  });

  it('judges the whole run at its end, however few rows: 28 of 28 sent and failed is over the limit', () => {
    const guard = new ErrorGuard(undefined, 0.5);
    const skipped = { failed: false, reachedModel: false, readFailure: false };
    expect(feed(guard, [skipped, ...Array.from({ length: 28 }, () => sentAndFailed), skipped])).toBeUndefined();
    expect(guard.final()?.message).toMatch(/^28 of 28 rows sent to the model failed in this run \(limit --max-error-rate 0\.5\)/);
    expect(guard.final()?.exitCode).toBe(5);
  });

  it('at the end, like the stop mid-run: rows that failed mostly transiently say the service is failing, rows refused for their text send to the error column', () => {
    const outcomeOf = (transient: boolean) => ({ kind: 'failed' as const, failure: { code: transient ? 'http_500' : 'invalid_input', message: 'x', ...(transient ? { transient } : {}) } });
    const verdictOf = (transientRows: number, refusedRows: number) => {
      const guard = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'), emptyFailureCounts());
      for (let i = 0; i < transientRows + refusedRows; i++) expect(guard.record(true, true, false, outcomeOf(i < transientRows))).toBeUndefined();
      return [guard.final()?.message, guard.finalForJob({ read: transientRows + refusedRows, failed: transientRows + refusedRows }, 'the whole job')?.message];
    };
    // An outage of 40 rows (too few for the stop mid-run): before, "…; the output is complete: see the sentiment_error column".
    const [run, job] = verdictOf(40, 0);
    expect(run).toBe('40 of 40 rows sent to the model failed in this run (limit --max-error-rate 0.5); the output is complete: the service is failing: run the same command again once it answers (it re-scores just the rows that failed transiently)');
    expect(job).toMatch(/^40 of 40 rows sent to the model failed in the whole job \(limit --max-error-rate 0\.5\); the output is complete: the service is failing: run the same command again once it answers/);
    // Mostly (20 of 30) transient, as the stop mid-run judges it; mostly refused: the error column.
    expect(verdictOf(20, 10)[0]).toMatch(/the service is failing/);
    expect(verdictOf(10, 20)[0]).toMatch(/; the output is complete: see the sentiment_error column$/);
    // A checkpoint written before transient failures were counted cannot tell: the error column, as before.
    expect(judgeJob({ read: 10, failed: 8 }, { unreadable: 0, sent: 10, sentFailed: 8 }, limits(), 'the whole job')?.message).toMatch(/; the output is complete: see the sentiment_error column$/);
    // A mend that scores the transient rows leaves the refused ones, which no rerun changes.
    const counts = { unreadable: 0, sent: 10, sentFailed: 8, sentFailedTransient: 6 };
    expect(judgeJob({ read: 10, failed: 8 }, counts, limits(), 'the whole job')?.message).toMatch(/the service is failing/);
    countMended(counts, 6);
    expect(counts).toEqual({ unreadable: 0, sent: 10, sentFailed: 2, sentFailedTransient: 0 });
    expect(judgeJob({ read: 10, failed: 2 }, counts, { ...limits(), maxErrorRate: 0.1 }, 'the whole job')?.message).toMatch(/see the sentiment_error column$/);
  });

  it('at the end: rows read that could not be read, at or under the limit, and a run with nothing but failures even under --max-error-rate 1', () => {
    const unread = new ErrorGuard(undefined, 0.5);
    feed(unread, Array.from({ length: 33 }, () => unreadable));
    expect(unread.final()?.message).toMatch(/^33 of 33 rows read could not be read/);

    const half = new ErrorGuard(undefined, 0.5);
    feed(half, [sentAndFailed, ok, sentAndFailed, ok]);
    expect(half.final()).toBeUndefined();
    const over = new ErrorGuard(undefined, 0.5);
    feed(over, [sentAndFailed, ok, sentAndFailed]);
    expect(over.final()?.message).toMatch(/^2 of 3 rows sent/);

    const lenient = new ErrorGuard(undefined, 1);
    feed(lenient, [sentAndFailed, sentAndFailed]);
    expect(lenient.final()?.message).toMatch(/^2 of 2 rows sent/);
    // Refused before the model (--long-text fail) and nothing else: still not a success.
    const tooLong = new ErrorGuard(undefined, 0.5);
    feed(tooLong, [{ failed: true, reachedModel: false, readFailure: false }]);
    expect(tooLong.final()?.message).toMatch(/^1 of 1 row read failed/);

    expect(new ErrorGuard(undefined, 0.5).final()).toBeUndefined();
  });

  it('--max-errors names the error column of a CSV and the error field of JSONL, with their prefix, and says "1 row"', () => {
    const firstFailure = (guard: ErrorGuard) => feed(guard, [ok, sentAndFailed, sentAndFailed])?.message;
    expect(firstFailure(new ErrorGuard(1, 1, errorPlace('csv', 'sentiment')))).toBe(
      'more than 1 row failed (--max-errors); see the sentiment_error column of the partial output and the log',
    );
    expect(firstFailure(new ErrorGuard(1, 1, errorPlace('tsv', 'mood')))).toMatch(/^more than 1 row failed \(--max-errors\); see the mood_error column /);
    expect(firstFailure(new ErrorGuard(1, 1, errorPlace('jsonl', 'mood')))).toMatch(/^more than 1 row failed \(--max-errors\); see the "error" inside the "mood" field /);
    expect(firstFailure(new ErrorGuard(0, 1))).toMatch(/^more than 0 rows failed/);
  });

  it('--max-errors after an outage says to run again later, as the share stop does; after refusals it sends to the errors', () => {
    const failedOutcome = (transient: boolean) => ({ kind: 'failed' as const, failure: { code: transient ? 'http_503' : 'invalid_input', message: 'x', ...(transient ? { transient } : {}) } });
    const stopOf = (transient: boolean) => {
      const guard = new ErrorGuard(2, 1, errorPlace('csv', 'sentiment'));
      for (let i = 0; i < 10; i++) {
        const error = guard.record(true, true, false, failedOutcome(transient));
        if (error) return error.message;
      }
      return undefined;
    };
    expect(stopOf(true)).toBe(
      'more than 2 rows failed (--max-errors); the service is failing: run the same command again once it answers (it continues where this run stopped, and scores again the rows that failed transiently)',
    );
    expect(stopOf(false)).toBe('more than 2 rows failed (--max-errors); see the sentiment_error column of the partial output and the log');
  });

  // -o - leaves no partial output: the rows are on standard output (lowfix59).
  it('with the output on standard output, its stops send to the rows written there', () => {
    const guard = new ErrorGuard(1, 1, errorPlace('csv', 'sentiment'), undefined, undefined, STDOUT_ROWS);
    const failed = { kind: 'failed' as const, failure: { code: 'invalid_input', message: 'x' } };
    guard.record(true, true, false, failed);
    expect(guard.record(true, true, false, failed)?.message).toBe('more than 1 row failed (--max-errors); see the sentiment_error column of the rows written to standard output and the log');
    const long = new ErrorGuard(undefined, 0.5, errorPlace('csv', 'sentiment'), undefined, undefined, STDOUT_ROWS);
    const tooLong = { kind: 'failed' as const, failure: { code: 'text_too_long', message: 'x' } };
    let stop: string | undefined;
    for (let i = 0; i < 60 && !stop; i++) stop = long.record(true, false, false, tooLong)?.message;
    expect(stop).toMatch(/see the sentiment_error column of the rows written to standard output; /);
  });

  it('the whole-run judgement sends the reader to the right error column or field', () => {
    expect(shareFailure(3, 3, 0.5, 'sent to the model failed', 'this run', errorPlace('jsonl', 'sentiment'))?.message).toMatch(/the output is complete: see the "error" inside the "sentiment" field$/);
    expect(shareFailure(1, 1, 0.5, 'sent to the model failed', 'this run', errorPlace('csv', 'mood'))?.message).toMatch(/^1 of 1 row sent .* see the mood_error column$/);
  });
});

describe('the verdict on the whole job (job-failures.ts)', () => {
  const limits = { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: errorPlace('csv', 'sentiment') };

  it('a resumed run adds its rows to the counts earlier runs left: fine on its own, over the limit for the job', () => {
    const carried = { unreadable: 0, sent: 40, sentFailed: 30 };
    const guard = new ErrorGuard(undefined, 0.5, limits.errorPlace, carried);
    feed(guard, Array.from({ length: 10 }, () => ok));
    expect(guard.final()).toBeUndefined();
    expect(carried).toEqual({ unreadable: 0, sent: 50, sentFailed: 30 });
    expect(guard.finalForJob({ read: 50, failed: 30 }, 'the whole job')?.message).toBe(
      '30 of 50 rows sent to the model failed in the whole job (limit --max-error-rate 0.5); the output is complete: see the sentiment_error column',
    );
  });

  it('rows mended later count as scored; --max-errors is judged over the job; an older checkpoint without counts is judged by failed rows among all rows', () => {
    const counts = { unreadable: 0, sent: 10, sentFailed: 8 };
    expect(judgeJob({ read: 10, failed: 8 }, counts, limits, 'the whole job')?.message).toMatch(/^8 of 10 rows sent to the model failed in the whole job/);
    countMended(counts, 6);
    expect(counts.sentFailed).toBe(2);
    expect(judgeJob({ read: 10, failed: 2 }, counts, limits, 'the whole job')).toBeUndefined();
    expect(judgeJob({ read: 10, failed: 2 }, counts, { ...limits, maxErrors: 1 }, 'the whole job')?.message).toBe(
      '2 rows failed in the whole job, more than --max-errors 1; the output is complete: see the sentiment_error column',
    );
    expect(judgeJob({ read: 10, failed: 2 }, counts, { ...limits, maxErrors: 2 }, 'the whole job')).toBeUndefined();
    // Failed mostly transiently (an outage the run outlived): the verdict says to run again, which re-scores them.
    const outage = { unreadable: 0, sent: 10, sentFailed: 3, sentFailedTransient: 2 };
    expect(judgeJob({ read: 10, failed: 3 }, outage, { ...limits, maxErrors: 1 }, 'this run')?.message).toBe(
      '3 rows failed in this run, more than --max-errors 1; the output is complete: the service is failing: run the same command again once it answers (it re-scores just the rows that failed transiently)',
    );
    expect(judgeJob({ read: 10, failed: 6 }, undefined, limits, 'the whole job')?.message).toMatch(/^6 of 10 rows read failed in the whole job/);
    expect(judgeJob({ read: 10, failed: 5 }, undefined, limits, 'the whole job')).toBeUndefined();
  });

  it('counts rows failed by --long-text fail toward --max-error-rate, among the rows read: mid-run and at the end', () => {
    const longRow = { kind: 'failed' as const, failure: { code: 'text_too_long', message: 'the text has more than 512 tokens (--long-text fail)' } };
    const recordAll = (guard: ErrorGuard, rows: number, isLong: (i: number) => boolean) => {
      for (let i = 0; i < rows; i++) {
        const error = isLong(i) ? guard.record(true, false, false, longRow) : guard.record(false, true, false, { kind: 'scored', scores: [] } as never);
        if (error) return { row: i + 1, message: error.message };
      }
      return undefined;
    };
    // Three rows in five over 512 tokens: the window of the last rows read trips once it holds 50 rows.
    const stopped = recordAll(new ErrorGuard(undefined, 0.5), 300, (i) => i % 5 < 3);
    expect(stopped).toEqual({ row: 50, message: expect.stringMatching(/^30 of the last 50 rows read had a text over 512 tokens \(--long-text fail; limit --max-error-rate 0\.5\)/) });
    // Fewer rows than the window waits for: judged at the end, over the rows read.
    const small = new ErrorGuard(undefined, 0.5);
    expect(recordAll(small, 20, (i) => i % 5 < 3)).toBeUndefined();
    expect(small.final()?.message).toMatch(/^12 of 20 rows read had a text over 512 tokens \(--long-text fail\) in this run \(limit --max-error-rate 0\.5\); the output is complete: /);
    // Within the limit: nothing to say.
    const fine = new ErrorGuard(undefined, 0.7);
    expect(recordAll(fine, 300, (i) => i % 5 < 3)).toBeUndefined();
    expect(fine.final()).toBeUndefined();
    // The whole job's verdict reads the count the checkpoint carries; a checkpoint written before it was kept has none.
    const job = { ...emptyFailureCounts(), sent: 8, tooLong: 12 };
    expect(judgeJob({ read: 20, failed: 12 }, job, limits, 'the whole job')?.message).toMatch(/^12 of 20 rows read had a text over 512 tokens \(--long-text fail\) in the whole job/);
    expect(judgeJob({ read: 20, failed: 12 }, { unreadable: 0, sent: 8, sentFailed: 0 }, limits, 'the whole job')).toBeUndefined();
  });
});
