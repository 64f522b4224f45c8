import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

// `report big200k.scored.csv --by review_id` (newuser12: 200,000 rows, an id each) said nothing of an id: the first
// 10,000 values are counted one by one and the 190,000 rows after them together, and 10,000 distinct values were
// weighed against all 200,000 rows (5 %, under the 90 % an id needs). Past the cap, the column is judged on the rows
// its counted values hold, and the hint says how many rows came after.
const row = (n: number, group: string): ScoredRow => ({
  row: n,
  text: `text ${n}`,
  outcome: { kind: 'scored', label: n % 2 === 0 ? 'POSITIVE' : 'NEGATIVE', positive: n % 2 === 0 ? 0.9 : 0.1 },
  group,
  date: undefined,
  rating: undefined,
});

const figuresFor = (rows: ScoredRow[], maxGroups: number) => {
  const tally = new Tally({ ...DEFAULT_LIMITS, maxGroups });
  rows.forEach((r) => tally.add(r));
  return figuresOf(tally, { input: 'big.scored.csv', by: 'review_id', date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
};

describe('report --by an id column with more values than are counted one by one', () => {
  it('says it looks like an id', () => {
    const figures = figuresFor(Array.from({ length: 2_000 }, (_, i) => row(i + 1, `r-${i}`)), 100);
    expect(figures.groups?.overflow.rows).toBe(1_900);
    expect(figures.groups?.idHint).toBe(
      "'review_id' looks like an id: 100 distinct values for 100 rows, and 1,900 rows more with values first seen after those, so each group is a row or two; no other column of the first rows repeats its values enough to group by",
    );
  });

  it('says nothing of a column of many values, each of many rows', () => {
    // 300 products of about 7 rows each, 100 counted one by one: a column that groups.
    const figures = figuresFor(Array.from({ length: 2_000 }, (_, i) => row(i + 1, `P${i % 300}`)), 100);
    expect(figures.groups?.overflow.rows).toBeGreaterThan(0);
    expect(figures.groups?.idHint).toBeUndefined();
  });
});
