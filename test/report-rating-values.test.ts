import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

const row = (n: number, rating: string, positive: boolean): ScoredRow => ({
  row: n,
  text: `t${n}`,
  outcome: { kind: 'scored', label: positive ? 'POSITIVE' : 'NEGATIVE', positive: positive ? 0.9 : 0.1 },
  group: undefined,
  date: undefined,
  rating,
});

const ratingOf = (tally: Tally) =>
  figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: 'score', groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) }).rating!;

// Booking's Reviewer_Score (../shared/data/reviews/booking-515k-hotel-reviews-sample.csv) has 35 values: the page listed
// the first 20 seen, so 6.5 (5 rows, shown as 0.0 % positive) was listed and 9.5 (19 rows) was not, among "84 scored rows
// with values first seen after the first 20". The values listed are now those with the most rows (there 9.5 in, 6.5 out;
// 70 rows not listed).
describe('report: the rating values listed are those with the most rows', () => {
  it('a value seen early with few rows gives way to one seen late with many; the others are counted together', () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, maxRatings: 3 });
    let n = 0;
    const add = (rating: string, times: number, positive: boolean) => {
      for (let i = 0; i < times; i += 1) tally.add(row(++n, rating, positive));
    };
    add('6.5', 1, false);
    add('2', 2, false);
    add('4', 3, true);
    add('3', 1, true);
    add('9.5', 5, true);
    const rating = ratingOf(tally);
    expect(rating.values.map((v) => [v.rating, v.rows])).toEqual([
      [2, 2],
      [4, 3],
      [9.5, 5],
    ]);
    expect(rating.otherValues).toMatchObject({ rows: 2, positive: 1 });
    expect(rating.range).toEqual({ lowest: 2, highest: 9.5 });
  });

  it('ties go to the lower value; values past the distinct-value cap count with the others', () => {
    const tally = new Tally({ ...DEFAULT_LIMITS, maxRatings: 2, ratingValuesCounted: 3 });
    ['5', '1', '3', '2', '2'].forEach((r, i) => tally.add(row(i + 1, r, i % 2 === 0)));
    const rating = ratingOf(tally);
    // 5, 1 and 3 are counted one by one (1 row each); 2 came after the cap: its 2 rows are other values.
    expect(rating.values.map((v) => v.rating)).toEqual([1, 3]);
    expect(rating.otherValues.rows).toBe(3);
  });
});
