import { groupSpec, histogramSpec, ratingSpec, trendSpec } from './charts.js';
import type { Figures } from './figures.js';
import { renderSvg } from './render-svg.js';

/** Each chart of the page as inline SVG in a <figure data-chart=...>, absent when there is nothing to draw. */
export async function charts(figures: Figures): Promise<{ histogram?: string; groups?: string; trend?: string; rating?: string }> {
  const overall = figures.totals.positive.share;
  const wrap = async (name: string, spec: Parameters<typeof renderSvg>[0]): Promise<string> =>
    `<figure class="chart" data-chart="${name}">${await renderSvg(spec)}</figure>`;
  const result: { histogram?: string; groups?: string; trend?: string; rating?: string } = {};
  // No scored row: every bin is 0, and vega draws an empty frame with one tick, '0.000000'. The page says so instead.
  if (figures.totals.scored > 0) result.histogram = await wrap('histogram', histogramSpec(figures.histogram));
  if (figures.groups && figures.groups.shown.length > 0) result.groups = await wrap('groups', groupSpec(figures.groups, overall));
  if (figures.trend && figures.trend.points.length > 0) result.trend = await wrap('trend', trendSpec(figures.trend, overall));
  if (figures.rating && figures.rating.values.length > 0) result.rating = await wrap('rating', ratingSpec(figures.rating));
  return result;
}
