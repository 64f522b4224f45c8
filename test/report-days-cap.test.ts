import { describe, expect, it } from 'vitest';
import { unreadColumnLines } from '../src/report/unread-columns.js';
import { figuresOf } from '../src/report/figures.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

// docs/report.md: "at most 20,000 distinct days (55 years); rows on later new days count as undated". They were counted
// as dates that "could not be read", with the readable date as the example: `--date d: the date of 1 of 3 scored rows
// could not be read (e.g. '2026-11-05')`.
describe('rows on new days past the cap on distinct days', () => {
  it('are counted apart, not as unreadable dates', () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, maxDays: 2 });
    ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-03', 'soon'].forEach((date, i) =>
      tally.add({ row: i + 1, text: 't', outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date, rating: undefined }),
    );
    const figures = figuresOf(tally, { input: 'x.csv', by: undefined, date: 'd', rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    expect(figures.trend).toMatchObject({ unreadable: 1, unreadableExamples: ['soon'], overCap: 1 });
    expect(figures.trend!.points.map((p) => [p.period, p.rows])).toEqual([['2026-11-03', 2], ['2026-11-04', 1]]);
    expect(unreadColumnLines(figures, { date: '--date', rating: '--rating' })).toContain("the date of 1 of 5 scored rows could not be read (e.g. 'soon')");
  });
});
