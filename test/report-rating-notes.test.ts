import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { Tally } from '../src/report/tally.js';

// The Booking sample (Reviewer_Score 2.5–10, more than 20 distinct values): the page said the 84 rows of values past
// the 20th "count in the range and the comparison with the labels", and a line below "Not a 1–5 star scale: … not
// compared with the labels".
describe('rating notes', () => {
  const page = async (ratings: number[]) => {
    const tally = new Tally();
    ratings.forEach((rating, i) => tally.add({ row: i + 1, text: 't', outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date: undefined, rating: String(rating) }));
    const figures = figuresOf(tally, { input: 'x.csv', by: undefined, date: undefined, rating: 'score', groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
    return (await renderHtml(figures)).replace(/<[^>]+>/g, '');
  };
  it('do not speak of a comparison with the labels that a scale other than 1–5 does not get', async () => {
    const text = await page(Array.from({ length: 25 }, (_, i) => 2.5 + i * 0.3));
    expect(text).toContain('Not a 1–5 star scale');
    expect(text).toContain('are not listed per value (100.0 % positive), but count in the range.');
    expect(text).not.toContain('and the comparison with the labels');
  });
  it('on a 1–5 scale, rows past the 20th value count in the comparison too', async () => {
    const text = await page(Array.from({ length: 25 }, (_, i) => 1 + i * 0.16));
    expect(text).toContain('but count in the range and the comparison with the labels.');
  });
});
