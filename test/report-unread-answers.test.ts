import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { Tally } from '../src/report/tally.js';
import { unreadAnswerLines } from '../src/report/unread-answers.js';

// A scored file edited by hand (a label changed to MAYBE, a score made text, a row added without an answer) was
// reported as "failed 1" on the terminal and "failed · bad_score: 1" on the page: codes documented nowhere, of rows the
// run never failed, with nothing saying which row or what the code means.
const row = (n: number, outcome: ScoredRow['outcome']): ScoredRow => ({ row: n, text: `t${n}`, outcome, group: undefined, date: undefined, rating: undefined });
const scored = (n: number): ScoredRow => row(n, { kind: 'scored', label: 'POSITIVE', positive: 0.9 });

function figuresFor(rows: ScoredRow[]) {
  const tally = new Tally();
  rows.forEach((r) => tally.add(r));
  return figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
}

describe('rows whose answer is not as score writes it', () => {
  const rows = [scored(1), row(2, { kind: 'error', code: 'bad_score' }), scored(3), row(4, { kind: 'error', code: 'not_scored' }), row(5, { kind: 'error', code: 'bad_score' }), row(6, { kind: 'error', code: 'http_500' })];

  it('are counted with the first row of each, in the figures', () => {
    const figures = figuresFor(rows);
    expect(figures.totals.failed).toBe(4);
    expect(figures.unreadAnswers).toEqual([
      { code: 'bad_score', rows: 2, firstRow: 2 },
      { code: 'not_scored', rows: 1, firstRow: 4 },
    ]);
    expect(figuresFor([scored(1)]).unreadAnswers).toBeUndefined();
  });

  it('are named on the terminal: how many, where, what the code means, why', () => {
    const lines = unreadAnswerLines(figuresFor(rows));
    expect(lines).toBe(
      '  bad_score: 2 rows (the first: row 2) have a label other than POSITIVE or NEGATIVE or a positive score that is not a number from 0 to 1, not as score writes them: counted as failed; the file was edited after the run, or not written by score\n' +
        '  not_scored: 1 row (row 4) has neither a label nor an error code, not as score writes it: counted as failed; the file was edited after the run, or not written by score\n',
    );
    expect(unreadAnswerLines(figuresFor([scored(1), row(2, { kind: 'error', code: 'http_500' })]))).toBe('');
  });

  it('are explained on the page', async () => {
    const html = await renderHtml(figuresFor(rows));
    expect(html).toContain('bad_score: 2 rows (the first: row 2) have a label other than POSITIVE or NEGATIVE');
    expect(html).toContain('not_scored: 1 row (row 4) has neither a label nor an error code');
  });
});
