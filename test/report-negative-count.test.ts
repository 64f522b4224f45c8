import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';
import { printedFigures } from './support/report-expected.js';

// A Trustpilot export (newuser12): score's summary said "scored as POSITIVE 65 · NEGATIVE 55"; the page's SCORED card
// said "120" and "65 positive", and how many reviews were negative, the first question about it, was a subtraction
// left to the reader. The card gives both counts, and the JSON the negative one beside the positive share.
const row = (n: number, positive: number): ScoredRow => ({
  row: n,
  text: `text ${n}`,
  outcome: { kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive },
  group: undefined,
  date: undefined,
  rating: undefined,
});

describe('report: how many rows are NEGATIVE', () => {
  it('the page and the JSON give the negative count beside the positive one', async () => {
    const tally = new Tally(DEFAULT_LIMITS);
    [row(1, 0.9), row(2, 0.1), row(3, 0.2), row(4, 0.8), row(5, 0.3)].forEach((r) => tally.add(r));
    tally.add({ ...row(6, 0), outcome: { kind: 'error', code: 'http_500' } });
    const figures = figuresOf(tally, { input: 'tp.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    expect(figures.totals.negative).toBe(3);
    const printed = printedFigures(await renderHtml(figures));
    expect(printed.get('totals.positive.positive')).toBe('2');
    expect(printed.get('totals.negative')).toBe('3');
  });
});
