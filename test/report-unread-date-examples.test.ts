import { describe, expect, it } from 'vitest';
import { unreadColumnLines } from '../src/report/unread-columns.js';
import { figuresOf } from '../src/report/figures.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

// An export where many rows share one unreadable date said `(e.g. '11/3/26', '11/3/26', '11/3/26')`: the examples were
// the first three unreadable values, the same one thrice. They are the first three distinct ones.
describe('the examples of dates that could not be read', () => {
  it('are distinct values', () => {
    const tally = new Tally(DEFAULT_LIMITS);
    ['11/3/26', '11/3/26', '11/3/26', 'soon', '11/3/26', 'later', 'never'].forEach((date, i) =>
      tally.add({ row: i + 1, text: 't', outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date, rating: undefined }),
    );
    const figures = figuresOf(tally, { input: 'x.csv', by: undefined, date: 'd', rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    expect(figures.trend).toMatchObject({ unreadable: 7, unreadableExamples: ['11/3/26', 'soon', 'later'] });
    expect(unreadColumnLines(figures, { date: '--date', rating: '--rating' })).toContain("the date of 7 of 7 scored rows could not be read (e.g. '11/3/26', 'soon', 'later')");
  });
});
