import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import type { ScoredRow } from '../src/report/scored-rows.js';
import { Tally } from '../src/report/tally.js';

/** The page's content width: main's 940 px less its padding (2 × 20) and a section's (2 × 20). */
const CONTENT_PX = 860;

async function ratingSection(values: number[]): Promise<{ section: string; width: number }> {
  const tally = new Tally();
  values.forEach((rating, i) => {
    const row: ScoredRow = { row: i + 1, text: `t${i}`, outcome: { kind: 'scored', label: i % 2 ? 'POSITIVE' : 'NEGATIVE', positive: i % 2 ? 0.8 : 0.2 }, group: undefined, date: undefined, rating: String(rating) };
    tally.add(row);
  });
  const figures = figuresOf(tally, { input: 'out.scored.csv', by: undefined, date: undefined, rating: 'score', groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
  const html = await renderHtml(figures);
  const section = /<section data-section="rating">[\s\S]*?<\/section>/.exec(html)![0];
  const width = Number(/data-chart="rating"><svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(section)![1]);
  return { section, width };
}

// Booking's Reviewer_Score (../shared/data/reviews/booking-515k-hotel-reviews-sample.csv, 20 values listed from 2.5 to
// 10): the rating chart was drawn 56 px per value, 1,180 px wide, and put in half the page beside the callouts, so
// headless Chromium showed it at about a third of its size, its labels a few pixels high.
describe('report: the rating chart fits where it is put', () => {
  it('20 values: drawn within the page width, above the callouts rather than beside them', async () => {
    const values = Array.from({ length: 20 }, (_, i) => Math.round((2.5 + i * 0.4) * 10) / 10);
    const { section, width } = await ratingSection(values.flatMap((v) => [v, v]));
    expect(width).toBeLessThanOrEqual(CONTENT_PX);
    expect(width).toBeGreaterThan(CONTENT_PX / 2);
    expect(section).not.toContain('class="split"');
    expect(section).toContain('class="callouts"');
  });

  it('five values on a 1–5 scale: as before, beside the callouts, within half the page', async () => {
    const { section, width } = await ratingSection([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(width).toBeLessThanOrEqual((CONTENT_PX - 20) / 2);
    expect(section).toContain('<div class="split">');
  });
});
