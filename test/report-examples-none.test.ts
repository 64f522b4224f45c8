import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';

const row = (n: number, label: 'POSITIVE' | 'NEGATIVE', positive: number): ScoredRow => ({ row: n, text: `t${n}`, outcome: { kind: 'scored', label, positive }, group: undefined, date: undefined, rating: undefined });

function figuresFor(rows: ScoredRow[], examples = DEFAULT_LIMITS.examples) {
  const tally = new Tally({ ...DEFAULT_LIMITS, examples });
  rows.forEach((r) => tally.add(r));
  return figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
}

// `report --examples 0` wrote "No scored row with a text is labelled NEGATIVE." (and POSITIVE) on a file of 101
// NEGATIVE and 398 POSITIVE rows: the lists were empty because none was asked for.
describe('--examples 0', () => {
  it('leaves the examples out of the page rather than say no row has that label', async () => {
    const rows = [row(1, 'POSITIVE', 0.9), row(2, 'NEGATIVE', 0.1)];
    const none = await renderHtml(figuresFor(rows, 0));
    expect(none).not.toContain('No scored row with a text is labelled');
    expect(none).not.toContain('data-section="examples"');
    expect(await renderHtml(figuresFor(rows))).toContain('data-section="examples"');
  });

  // `--examples 0 --format json` wrote `examples: {mostNegative: [], mostPositive: []}`: to a dashboard, no row of either
  // label. Not asked for, the part is null, as `groups`, `trend` and `rating` are without --by, --date and --rating.
  it('gives null examples in the figures (the JSON), not two empty lists', () => {
    const rows = [row(1, 'POSITIVE', 0.9), row(2, 'NEGATIVE', 0.1)];
    expect(figuresFor(rows, 0).examples).toBeNull();
    expect(figuresFor(rows, 5).examples).toEqual({ mostNegative: [expect.objectContaining({ row: 2 })], mostPositive: [expect.objectContaining({ row: 1 })] });
    expect(figuresFor([], 5).examples).toEqual({ mostNegative: [], mostPositive: [] });
  });
});
