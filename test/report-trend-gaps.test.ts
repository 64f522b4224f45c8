import { describe, expect, it } from 'vitest';
import { trendSpec } from '../src/report/charts.js';
import { renderSvg } from '../src/report/render-svg.js';

const trendOf = (days: number[]) =>
  trendSpec(
    {
      column: 'date',
      unit: 'day',
      points: days.map((d) => ({ period: `2026-11-${String(d).padStart(2, '0')}`, rows: 2, positive: 1, share: 0.5, low: 0.2, high: 0.8 })),
      missing: 0,
      unreadable: 0,
      unreadableExamples: [],
      overCap: 0,
    },
    0.5,
  );

/** The paths of the line and of the band (the only paths of several segments). */
const paths = (svg: string): string[] => [...svg.matchAll(/<path[^>]*d="([^"]+)"/g)].map((m) => m[1]!).filter((d) => d.split('L').length > 2);

// The Amazon sample's trend by week (../shared/data/reviews/amazon-musical-instruments-reviews-500.csv, --date
// reviewTime: 499 reviews over 2006–2014, years without one at first) drew its line and band straight across the
// weeks with no review, a slope that no data made. Now they break where a period has no row.
describe('the trend chart across periods with no row', () => {
  it('breaks the line and the band at a gap, and draws a point and a bar per period with rows', async () => {
    const svg = await renderSvg(trendOf([1, 2, 3, 10, 11]));
    const [band, line] = paths(svg);
    expect(line!.match(/M/g)).toHaveLength(2);
    expect(band!.match(/M/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(5);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(5);
  });

  it('one unbroken line when every period has rows', async () => {
    const [, line] = paths(await renderSvg(trendOf([1, 2, 3, 4])));
    expect(line!.match(/M/g)).toHaveLength(1);
  });
});
