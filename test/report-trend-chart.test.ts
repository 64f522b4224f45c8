import { describe, expect, it } from 'vitest';
import { trendSpec } from '../src/report/charts.js';
import { renderSvg } from '../src/report/render-svg.js';

// The trend's two charts, share per day above and rows per day below, had x scales of their own: the points ran
// from the left edge of the first day's bar to the right edge of the last one's (the demo's 11 days: Nov 05 at
// x=581 above and x=553 below), so a point could not be read against its own day's bar.
describe('the trend chart', () => {
  it('puts each day’s point above the middle of that day’s bar', async () => {
    const points = Array.from({ length: 11 }, (_, i) => ({ period: `2026-11-${String(i + 1).padStart(2, '0')}`, rows: i + 1, positive: 1, share: 0.5, low: 0.2, high: 0.8 }));
    const svg = await renderSvg(trendSpec({ column: 'date', unit: 'day', points, missing: 0, unreadable: 0, unreadableExamples: [] }, 0.5));
    const dots = [...svg.matchAll(/aria-roledescription="point" transform="translate\(([\d.]+),/g)].map((m) => Number(m[1]));
    const bars = [...svg.matchAll(/aria-roledescription="bar" d="M([\d.]+),[\d.]+h([\d.]+)v/g)].map((m) => Number(m[1]) + Number(m[2]) / 2);
    expect(dots).toHaveLength(11);
    expect(bars).toHaveLength(11);
    dots.forEach((x, i) => expect(Math.abs(x - bars[i]!), `day ${i + 1}: point at ${x}, bar centre at ${bars[i]}`).toBeLessThan(1.5));
  });
});
