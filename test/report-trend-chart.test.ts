import { describe, expect, it } from 'vitest';
import { groupSpec, histogramSpec, trendSpec } from '../src/report/charts.js';
import { renderSvg } from '../src/report/render-svg.js';

// The trend's two charts, share per day above and rows per day below, had x scales of their own: the points ran
// from the left edge of the first day's bar to the right edge of the last one's (the demo's 11 days: Nov 05 at
// x=581 above and x=553 below), so a point could not be read against its own day's bar.
describe('the trend chart', () => {
  it('puts each day’s point above the middle of that day’s bar', async () => {
    const points = Array.from({ length: 11 }, (_, i) => ({ period: `2026-11-${String(i + 1).padStart(2, '0')}`, rows: i + 1, positive: 1, share: 0.5, low: 0.2, high: 0.8 }));
    const svg = await renderSvg(trendSpec({ column: 'date', unit: 'day', points, missing: 0, unreadable: 0, unreadableExamples: [], overCap: 0 }, 0.5));
    const dots = [...svg.matchAll(/aria-roledescription="point" transform="translate\(([\d.]+),/g)].map((m) => Number(m[1]));
    const bars = [...svg.matchAll(/aria-roledescription="bar" d="M([\d.]+),[\d.]+h([\d.]+)v/g)].map((m) => Number(m[1]) + Number(m[2]) / 2);
    expect(dots).toHaveLength(11);
    expect(bars).toHaveLength(11);
    dots.forEach((x, i) => expect(Math.abs(x - bars[i]!), `day ${i + 1}: point at ${x}, bar centre at ${bars[i]}`).toBeLessThan(1.5));
  });
});

// On a small file the row counts were drawn on axes ticked 0.0, 0.2, 0.4 … 1.0 rows (the histogram) and 0.0, 0.5 …
// 2.0 rows (rows per day): counts of rows are whole numbers.
describe('axes of row counts', () => {
  const yLabels = (svg: string): string[] => {
    const axis = /aria-label="Y-axis titled 'rows'[\s\S]*?role-axis-domain/.exec(svg)?.[0] ?? '';
    return [...axis.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!).filter((t) => t !== 'rows');
  };
  it('are ticked in whole rows on a small file', async () => {
    const histogram = Array.from({ length: 20 }, (_, i) => ({ from: i / 20, to: (i + 1) / 20, rows: i === 2 || i === 18 ? 1 : 0 }));
    const hist = yLabels(await renderSvg(histogramSpec(histogram)));
    expect(hist.length).toBeGreaterThan(1);
    expect(hist.every((label) => /^\d+$/.test(label)), hist.join(' ')).toBe(true);
    const points = [{ period: '2026-11-03', rows: 2, positive: 1, share: 0.5, low: 0.1, high: 0.9 }];
    const trend = yLabels(await renderSvg(trendSpec({ column: 'date', unit: 'day', points, missing: 0, unreadable: 0, unreadableExamples: [], overCap: 0 }, 0.5)));
    expect(trend.length).toBeGreaterThan(1);
    expect(trend.every((label) => /^\d+$/.test(label)), trend.join(' ')).toBe(true);
  });
});

// Weeks were drawn on a scale of days: each week's bar of rows was one day wide (on 101 weeks, 1 px of 760, so
// the "rows per week" chart looked empty), and each point sat at the middle of the week's Monday, not of its week.
describe('the trend chart by week', () => {
  it('draws each week’s bar a week wide, its point above the middle of it', async () => {
    const monday = Date.UTC(2024, 0, 1);
    const points = Array.from({ length: 101 }, (_, i) => ({ period: new Date(monday + i * 7 * 86_400_000).toISOString().slice(0, 10), rows: 2000, positive: 1600, share: 0.8, low: 0.78, high: 0.82 }));
    const svg = await renderSvg(trendSpec({ column: 'date', unit: 'week', points, missing: 0, unreadable: 0, unreadableExamples: [], overCap: 0 }, 0.8));
    const bars = [...svg.matchAll(/aria-roledescription="bar" d="M([\d.]+),[\d.]+h([\d.]+)v/g)].map((m) => ({ left: Number(m[1]), width: Number(m[2]) }));
    const dots = [...svg.matchAll(/aria-roledescription="point" transform="translate\(([\d.]+),/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(101);
    expect(dots).toHaveLength(101);
    // 760 px for 101 weeks: about 7.5 px a week.
    bars.forEach((bar, i) => expect(bar.width, `week ${i + 1}`).toBeGreaterThan(5));
    dots.forEach((x, i) => expect(Math.abs(x - (bars[i]!.left + bars[i]!.width / 2)), `week ${i + 1}`).toBeLessThan(1.5));
  });
});

// On the Booking sample the group chart's labels were cut at 240 px after the count was appended:
// "The Principal London (1,…" and "Novotel Suites Paris Nor…" kept no count, or half of one.
describe('the group chart labels', () => {
  it('keep each group’s row count whole, shortening the name instead', async () => {
    const shown = [
      { group: 'The Principal London', rows: 1425, positive: 1173, share: 0.823, low: 0.802, high: 0.842 },
      { group: 'Novotel Suites Paris Nord 18 me', rows: 180, positive: 118, share: 0.656, low: 0.584, high: 0.721 },
      { group: 'x'.repeat(120), rows: 7, positive: 1, share: 0.14, low: 0.03, high: 0.5 },
    ];
    const svg = await renderSvg(groupSpec({ column: 'Hotel_Name', distinct: 3, shown, notShownRows: 0, overflow: { rows: 0, positive: 0, share: null, low: null, high: null }, missing: 0 }, 0.8));
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*\(\d[\d,]*\))<\/text>/g)].map((m) => m[1]!);
    expect(labels).toHaveLength(3);
    expect(labels).toContain('The Principal London (1,425)');
    expect(labels.some((label) => label.startsWith('Novotel Suites Paris') && label.endsWith('… (180)')), labels.join(' | ')).toBe(true);
    expect(labels.some((label) => label.startsWith('xxxxxxxxxx') && label.endsWith('… (7)')), labels.join(' | ')).toBe(true);
  });
});
