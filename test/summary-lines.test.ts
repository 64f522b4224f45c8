import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { InputError } from '../src/errors.js';
import { afterRunFailure } from '../src/job/summary-file.js';
import { formatElapsed, formatSummary, type Summary } from '../src/job/summary.js';
import { emptyTotals } from '../src/state/totals.js';

/** A finished job's summary with `failedRows` left in its output. */
function finished(failedRows: Summary['failedRows']): Summary {
  const totals = { ...emptyTotals(), read: 10, scored: 9, failed: 1 };
  return {
    status: 'done',
    exitCode: 0,
    input: 'in.jsonl',
    output: 'out.jsonl',
    model: 'embedded:test',
    remote: false,
    totals,
    ...(failedRows ? { failedRows } : {}),
    run: { totals, labels: {}, failuresByCode: {}, skippedByCode: {}, answeredRequests: 0, billableTokens: 0, billableNeurons: 0 },
    resumed: false,
    elapsedSeconds: 1,
    estimatedCostUsd: 0,
  };
}

const lastLine = (summary: Summary) => formatSummary(summary).trimEnd().split('\n').at(-1);

describe('the summary line about rows left failed', () => {
  it('speaks of one row in the singular, and of the error column or field (CSV or JSONL)', () => {
    expect(lastLine(finished({ retry: 1, final: 0 }))).toBe('  1 row failed transiently: run the same command again to re-score just that row');
    expect(lastLine(finished({ retry: 0, final: 1 }))).toBe('  1 row failed, refused for its text or record (see the error column or field) and not retried; a rerun leaves it as it is');
    expect(lastLine(finished({ retry: 2, final: 1 }))).toBe(
      '  3 rows failed: run the same command again to re-score just the 2 that failed transiently (the other 1 was refused for its text or record (see the error column or field) and not retried)',
    );
  });

  it('after a stop the service caused (exit 4: token, permission, model), says to fix that before running again', () => {
    const stopped: Summary = { ...finished({ retry: 2, final: 0 }), status: 'failed', exitCode: 4, message: 'Cloudflare rejected the API token (HTTP 401, code 10000)', outputComplete: true };
    expect(lastLine(stopped)).toBe('  2 rows failed transiently: fix what the line above says (the credentials or the model), then run the same command again to re-score just those rows');
    expect(formatSummary(stopped).trimEnd().split('\n').at(-2)).toBe('  Cloudflare rejected the API token (HTTP 401, code 10000)');
  });

  it("a done run whose --report failed exit 3 is no mend the input's change refused: its lines say so alike", () => {
    // afterRunFailure's summary: the output complete, exit 3 for the report's input error, `report` not written. The first
    // line said 'Stopped:' (statusWord asks for no `report`) while the last said 'not mended as the input changed'.
    const reportFailed = afterRunFailure({ ...finished({ retry: 2, final: 0 }), report: { path: 'r.html', written: false } }, new InputError('this is not a scored file'));
    expect(reportFailed).toMatchObject({ status: 'failed', exitCode: 3, outputComplete: true });
    expect(formatSummary(reportFailed).split('\n')[0]).toBe('Stopped: out.jsonl');
    expect(lastLine(reportFailed)).toBe('  2 rows failed transiently: run the same command again to re-score just those rows');
    // The mend the input's change refused keeps both of its lines (test/mend-input-changed.test.ts runs it).
    const refused: Summary = { ...finished({ retry: 2, final: 0 }), status: 'failed', exitCode: 3, message: 'the input in.jsonl changed while the rows that had failed were being mended', outputComplete: true };
    expect(formatSummary(refused).split('\n')[0]).toBe('Not mended, the input changed; the output is as it was: out.jsonl');
    expect(lastLine(refused)).toMatch(/^ {2}2 rows failed transiently, not mended as the input changed: /);
  });

  it('is absent when no row failed', () => {
    expect(formatSummary(finished({ retry: 0, final: 0 }))).not.toMatch(/failed transiently|refused for/);
  });
});

describe('the rows of a run that did part of a job', () => {
  it('a mend that wrote no row (a full disk, a signal) says its rows are this run\'s, then the whole job\'s', () => {
    const base = finished({ retry: 1, final: 0 });
    const mend: Summary = { ...base, status: 'failed', exitCode: 74, message: 'no space left on the device holding out.jsonl.partial', outputComplete: true, run: { ...base.run, totals: emptyTotals() } };
    expect(formatSummary(mend)).toContain('\n  this run: rows 0: scored 0, skipped 0, failed 0\n');
    expect(formatSummary(mend)).toContain('\n  whole job: rows 10: scored 9, skipped 0, failed 1\n');
    // A run that is the whole job says its rows as they are.
    expect(formatSummary(base)).toContain('\n  rows 10: scored 9, skipped 0, failed 1\n');
    expect(formatSummary(base)).not.toMatch(/this run|whole job/);
  });
});

describe('the summary line about rows that gave up on the per-minute limit', () => {
  // --rpm 600 against an account limited to 10 a minute: 10 of 20 rows gave up after 6 attempts, exit 0, and
  // nothing said that a rerun with the same --rpm meets the same limit.
  it('says to lower --rpm or share the limit through --redis (Workers AI only)', () => {
    const base = finished({ retry: 10, final: 0 });
    const summary: Summary = { ...base, remote: true, run: { ...base.run, failuresByCode: { rate_limited: 10 }, rateLimitedCodes: ['3021'] } };
    expect(formatSummary(summary)).toContain(
      "\n  failed by code: rate_limited 10\n  10 rows gave up on the service's per-minute limit (429, code 3021) although this run kept to --rpm: " +
        "the account's limit is lower, or other work uses the account; lower --rpm, or share the limit with the other jobs through --redis (docs/shared-limit.md)\n",
    );
    expect(lastLine(summary)).toBe('  10 rows failed transiently: run the same command again to re-score just those rows');
    expect(formatSummary({ ...summary, run: { ...summary.run, failuresByCode: { http_500: 10 } } })).not.toContain('--rpm');
  });

  // Was: '(429, code 3021)' whatever code the 429s carried, and 'share the limit … through --redis' to a run using it.
  it('names the code the 429s carried, and with --redis the work that does not share it', () => {
    const base = finished({ retry: 10, final: 0 });
    const summary: Summary = { ...base, remote: true, run: { ...base.run, failuresByCode: { rate_limited: 10 }, rateLimitedCodes: ['3021', 'none'] } };
    expect(formatSummary(summary)).toContain('\n  10 rows gave up on 429 answers (code 3021 or no code) although this run kept to --rpm: ');
    const shared = formatSummary({ ...summary, sharedLimit: true, run: { ...summary.run, rateLimitedCodes: ['3021'] } });
    expect(shared).toContain("10 rows gave up on the service's per-minute limit (429, code 3021) although this run kept to --rpm shared through --redis: ");
    expect(shared).toContain('or give that work the same --redis (docs/shared-limit.md)\n');
    expect(shared).not.toContain('share the limit with the other jobs');
  });
});

describe('the summary line about mended rows', () => {
  it('a rerun that mended a completed output says which rows are this run\'s and which the whole job\'s', () => {
    const job = { ...emptyTotals(), read: 300, scored: 300 };
    const run = { ...emptyTotals(), read: 84, scored: 84 };
    const rerun: Summary = { ...finished(undefined), totals: job, run: { ...finished(undefined).run, totals: run }, mended: 84 };
    const text = formatSummary(rerun);
    expect(text).toContain('\n  this run: rows 84: scored 84, skipped 0, failed 0\n');
    expect(text).toContain('\n  whole job: rows 300: scored 300, skipped 0, failed 0\n');
  });


  it('speaks of one row in the singular', () => {
    const summary = { ...finished({ retry: 0, final: 1 }), mended: 1 };
    expect(formatSummary(summary)).toContain('  mended 1 row that had failed transiently (1 row still failed)\n');
    expect(formatSummary({ ...summary, mended: 2, totals: { ...summary.totals, failed: 0 } })).toContain('  mended 2 rows that had failed transiently (0 rows still failed)\n');
  });
});

describe('the summary line about rows read but not written', () => {
  const stopped = (input: string, output: string): Summary => ({
    ...finished(undefined),
    status: 'interrupted',
    exitCode: 130,
    input,
    output,
    unwritten: { rows: 256, answered: 0 },
  });

  it('says the next run reads them again when the run keeps a checkpoint', () => {
    expect(formatSummary(stopped('in.csv', 'out.csv'))).toContain('\n  read but not written: 256 rows (the run stopped before their turn); the next run reads them again\n');
  });

  // 'score big.csv -o - ' stopped by SIGINT said 'the next run reads them again' above its own last line 'a run on
  // standard input or output keeps no checkpoint: the next one starts from the beginning'; and the rows it had
  // answered (requests sent 78, answered 77, rows 30) went with it, paid.
  it('says they are not kept, answers included, on standard input or output', () => {
    for (const [input, output] of [['in.csv', '-'], ['-', 'out.csv']] as const) {
      const text = formatSummary(stopped(input, output));
      expect(text).toContain(
        '\n  read but not written: 256 rows (the run stopped before their turn); a run on standard input or output keeps none of them, answered ones included: the next one starts from the beginning\n',
      );
      expect(text).not.toContain('reads them again');
    }
  });
});

describe('the summary line about what a fault kept from the checkpoint (a full disk, exit 74)', () => {
  const stopped = (remote: boolean, notWritten: NonNullable<Summary['run']['notWritten']>): Summary => {
    const summary = finished(undefined);
    return { ...summary, status: 'failed', exitCode: 74, remote, run: { ...summary.run, notWritten } };
  };
  const lineAfterRows = (summary: Summary) => formatSummary(summary).split('\n')[2];

  it('says the rows scored again, and with a paid backend the answers paid again, right below the rows', () => {
    expect(lineAfterRows(stopped(false, { rows: 3000 }))).toBe('  not written: 3,000 rows this run scored, which the next run scores again');
    expect(lineAfterRows(stopped(true, { rows: 75, answersNotKept: 0 }))).toBe(
      '  not written: 75 rows this run scored, which the next run scores again; every answer received for rows not written is kept in the journal, not paid for again',
    );
    expect(lineAfterRows(stopped(true, { rows: 1, answersNotKept: 47 }))).toBe(
      '  not written: 1 row this run scored, which the next run scores again; 47 answers received for rows not written were kept nowhere (requested, and paid for, again)',
    );
    // Every row counted is in the checkpoint, but the journal refused answers for rows read ahead.
    expect(lineAfterRows(stopped(true, { rows: 2, answersNotKept: 1 }))).toBe(
      '  not written: 2 rows this run scored, which the next run scores again; 1 answer received for rows not written was kept nowhere (requested, and paid for, again)',
    );
    expect(lineAfterRows(stopped(true, { rows: 0, answersNotKept: 1 }))).toBe('  kept nowhere: 1 answer received for rows not written, which the journal refused (requested, and paid for, again)');
  });

  // A folder (or a named pipe) at the list's path is never read as the list: the line said the list 'is missing', of
  // a path that ls shows.
  it('a list of failed rows that is not there: missing, or what is there instead', () => {
    const { dir, cleanup } = tempDir();
    try {
      const output = path.join(dir, 'out.jsonl');
      const unlisted: Summary = { ...finished({ retry: 0, final: 0, unlisted: 1, list: 'missing' }), output };
      expect(lastLine(unlisted)).toContain(`1 row failed, and the list of the rows that failed transiently (${output}.failed-rows) is missing, so a rerun`);
      mkdirSync(`${output}.failed-rows`);
      expect(lastLine(unlisted)).toContain(`1 row failed, and the list of the rows that failed transiently (${output}.failed-rows) is a folder, not the list (move or remove it), so a rerun`);
    } finally {
      cleanup();
    }
  });
});

describe('the elapsed time of the summary', () => {
  it('to a tenth of a second under ten seconds; whole seconds, minutes and hours above, as the progress line says an ETA', () => {
    expect(formatElapsed(0.34)).toBe('0.3 s');
    expect(formatElapsed(9.96)).toBe('10.0 s');
    expect(formatElapsed(10)).toBe('10 s');
    expect(formatElapsed(59.6)).toBe('1 min 0 s');
    expect(formatElapsed(125.4)).toBe('2 min 5 s');
    expect(formatElapsed(3600)).toBe('1 h 0 min');
    expect(formatElapsed(3725)).toBe('1 h 2 min');
  });
  // A Retry-After of a month read "638790 h 8 min"; from a day on the hours are days and hours.
  it('days and hours from a day on, hours and minutes below', () => {
    expect(formatElapsed(86_399)).toBe('23 h 59 min');
    expect(formatElapsed(86_400)).toBe('1 d 0 h');
    expect(formatElapsed(2_296_800 + 59 * 60)).toBe('26 d 14 h');
    expect(formatElapsed(638_790 * 3600 + 8 * 60)).toBe('26616 d 6 h');
  });
});

// --summary-json's top-level `labels` counts the whole output's labels, across resumes and mends; the lines a person
// reads gave this run's alone ("scored as POSITIVE 84"), so a resumed or mended job's split was in the JSON only.
describe("the whole output's labels", () => {
  const base = finished({ retry: 0, final: 1 });
  const run = { ...base.run, totals: { ...emptyTotals(), read: 4, scored: 4 }, labels: { POSITIVE: 3, NEGATIVE: 1 } };

  it('follow the whole job line of a resumed or mended run', () => {
    const resumed: Summary = { ...base, resumed: true, labels: { POSITIVE: 6, NEGATIVE: 3 }, run };
    expect(formatSummary(resumed)).toContain('\n  scored as POSITIVE 3 · NEGATIVE 1\n');
    expect(formatSummary(resumed)).toContain('\n  whole job across resumes: rows 10: scored 9, skipped 0, failed 1\n  whole job scored as POSITIVE 6 · NEGATIVE 3\n');
    const mended: Summary = { ...base, mended: 1, labels: { POSITIVE: 9, NEGATIVE: 0 }, run };
    expect(formatSummary(mended)).toContain('\n  whole job: rows 10: scored 9, skipped 0, failed 1\n  whole job scored as POSITIVE 9\n');
  });

  it('are said by an already-done rerun, which scored none itself', () => {
    const done: Summary = { ...base, status: 'already-done', labels: { POSITIVE: 5, NEGATIVE: 4 }, run: { ...base.run, totals: emptyTotals() } };
    expect(formatSummary(done)).toContain('(scored by an earlier run; this run did nothing)\n  scored as POSITIVE 5 · NEGATIVE 4\n');
  });

  it('are left out where the run is the whole job (its own line says them) or the checkpoint predates them', () => {
    const whole: Summary = { ...base, labels: { POSITIVE: 9, NEGATIVE: 0 }, run: { ...base.run, labels: { POSITIVE: 9 } } };
    expect(formatSummary(whole)).not.toContain('whole job');
    const older: Summary = { ...base, resumed: true, run };
    expect(formatSummary(older)).not.toContain('whole job scored as');
  });
});

// A mend refused because the input changed under it (exit 3, the output complete as it was: input-unchanged.ts).
describe('the summary of a mend refused as the input changed', () => {
  const refusedMend = (failedRows: Summary['failedRows']): Summary => ({
    ...finished(failedRows),
    status: 'failed',
    exitCode: 3,
    message: 'the input in.jsonl changed while the rows that had failed were being mended (it was modified)',
    outputComplete: true,
  });

  it('says the mend was refused, and counts the rows refused for their text apart, one of them too', () => {
    const one = formatSummary(refusedMend({ retry: 1, final: 1 })).trimEnd().split('\n');
    expect(one[0]).toBe('Not mended, the input changed; the output is as it was: out.jsonl');
    expect(one.at(-1)).toBe(
      '  1 row failed transiently, not mended as the input changed: run the same command again once it is final; the next run re-scores just that row if the bytes the job read are unchanged, else scores the new content afresh (the other 1 of the 2 rows failed was refused for its text or record (see the error column or field) and not retried)',
    );
    expect(lastLine(refusedMend({ retry: 2, final: 0 }))).toBe(
      '  2 rows failed transiently, not mended as the input changed: run the same command again once it is final; the next run re-scores just those 2 if the bytes the job read are unchanged, else scores the new content afresh',
    );
  });
});

// A run on standard input stopped short (a budget, the daily allocation: exit 75; an outage: exit 5; a signal) leaves
// out.csv.partial, which its first line named as if it were the job's unfinished output: nothing continues it, the next
// run at that output replaces it, and it holds the rows this run wrote, paid for.
describe('the summary of a run on standard input stopped short', () => {
  const stdinStopped = (read: number): Summary => {
    const base = finished(undefined);
    const totals = { ...emptyTotals(), read, scored: read };
    return { ...base, status: 'paused', exitCode: 75, input: '-', output: '/abs/out.csv', totals, run: { ...base.run, totals } };
  };

  it('says what its partial output holds, that nothing continues it, and that the next run replaces it', () => {
    const lines = formatSummary(stdinStopped(105), undefined, 'out.csv').split('\n');
    expect(lines[0]).toBe('Paused; a run on standard input or output cannot continue, run it again from the start: out.csv.partial');
    expect(lines[2]).toBe(
      '  out.csv.partial holds the 105 rows this run wrote, the first of the input, in order: no run continues it (standard input is read afresh each time), and the next run at this output replaces it, so copy it elsewhere to keep them',
    );
    // No row written: the header-only file is removed (run-end.ts), and no line names it as kept.
    const none = formatSummary(stdinStopped(0), undefined, 'out.csv').split('\n');
    expect(none[0]).toBe('Paused; a run on standard input or output cannot continue, run it again from the start: out.csv (no row written)');
    expect(none[2]).toBe('  no row was written, so no out.csv.partial is left: the next run at this output starts from the beginning');
  });

  it('is not said of a run that keeps a checkpoint, nor of one writing to standard output', () => {
    expect(formatSummary({ ...stdinStopped(105), input: 'in.csv' }, undefined, 'out.csv')).not.toContain('holds the');
    expect(formatSummary({ ...stdinStopped(105), output: '-' })).not.toContain('holds the');
  });

  // A file's run stopped before its first row keeps its header-only partial output, which its resume continues: named.
  it('a file\'s run that wrote no row still names its partial output', () => {
    const first = formatSummary({ ...stdinStopped(0), input: 'in.csv' }, undefined, 'out.csv').split('\n')[0];
    expect(first).toMatch(/: out\.csv\.partial$/);
    expect(first).not.toContain('no row written');
  });
});
