import type { TopLevelSpec } from 'vega-lite';
import type { GroupFigures, RatingFigures, TrendFigures, Figures } from './figures.js';
import { groupedNumber } from '../wording/grouped-number.js';

/** Colours of the page and its charts: NEGATIVE red, POSITIVE green, neutral ink. */
export const COLOURS = { negative: '#c8553d', positive: '#3a8a4f', neutral: '#4a6fa5', ink: '#2b2b2b', muted: '#8a8a8a' } as const;

const WIDTH = 760;
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, titleColor: COLOURS.ink, labelColor: COLOURS.ink, gridColor: '#ececec' },
  background: 'white',
} as const;

const shareAxis = { format: '.0%', title: 'positive share' } as const;
/** Counts of rows are whole: no 0.2 or 0.5 rows on the axis of a small file. */
const ROWS_AXIS = { tickMinStep: 1, format: ',d' } as const;
/** Bars of a positive share run from red (0 %) through sand to green (100 %). */
const shareColour = { field: 'share', type: 'quantitative', scale: { domain: [0, 0.5, 1], range: [COLOURS.negative, '#d9c27a', COLOURS.positive] }, legend: null } as const;

/** Histogram of the positive score: bars below 0.5 (labelled NEGATIVE) red, above green. */
export function histogramSpec(histogram: Figures['histogram']): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: WIDTH,
    height: 180,
    data: { values: histogram.map((bin) => ({ ...bin, side: bin.to <= 0.5 ? 'NEGATIVE' : 'POSITIVE' })) },
    mark: { type: 'bar', binSpacing: 1 },
    encoding: {
      x: { field: 'from', bin: { binned: true, step: 0.05 }, type: 'quantitative', title: 'positive score (probability of POSITIVE)', axis: { format: '.1f', tickCount: 10 } },
      x2: { field: 'to' },
      y: { field: 'rows', type: 'quantitative', title: 'rows', axis: ROWS_AXIS },
      color: { field: 'side', type: 'nominal', scale: { domain: ['NEGATIVE', 'POSITIVE'], range: [COLOURS.negative, COLOURS.positive] }, legend: null },
    },
  };
}

/**
 * Characters of a group's name shown before its count on the group chart. vega, drawing without a canvas, takes a
 * character of a 12 px label as 9.6 px wide: 22 and a count of up to 7 digits fit in 300 px.
 */
const GROUP_NAME_CHARS = 22;

const FSI = '\u2068';
const PDI = '\u2069';
/** Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * A group name holding right-to-left letters, between first-strong isolate marks: in the chart's left-to-right label the
 * count joined a Hebrew or Arabic name's run and was drawn left of it ("(1) שלום" for `שלום (1)`), and the name's own
 * "!" at its wrong end. Other names are left as they are.
 */
function isolated(group: string): string {
  return RIGHT_TO_LEFT.test(group) ? `${FSI}${group}${PDI}` : group;
}

/** One bar per group (worst first, as the figures are ordered), its interval as a rule, the overall share as a dashed line. */
export function groupSpec(groups: GroupFigures, overall: number | null): TopLevelSpec {
  const values = groups.shown.map((g) => ({ ...g, label: `${isolated(g.group)} (${groupedNumber(g.rows)})` }));
  // A long name is shortened before its count, so the count stays whole (cut at the end by the label limit, the Booking
  // sample's "The Principal London (1,…" had lost it); the field keeps the whole label, unique per group.
  // An isolated name (FSI … PDI) counts its two marks, and keeps its closing one when cut.
  const marks = `(indexof(datum.value, '${FSI}') === 0 ? 2 : 0)`;
  const labelExpr = `lastindexof(datum.value, ' (') > ${GROUP_NAME_CHARS} + ${marks} ? substring(datum.value, 0, ${GROUP_NAME_CHARS - 1} + (${marks} > 0 ? 1 : 0)) + '…' + (${marks} > 0 ? '${PDI}' : '') + substring(datum.value, lastindexof(datum.value, ' (')) : datum.value`;
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelExpr, labelLimit: 0 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: WIDTH - 300,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: { y, x: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: shareAxis }, color: shareColour },
      },
      {
        mark: { type: 'rule', color: COLOURS.ink, strokeWidth: 1.5 },
        encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
      ...(overall === null ? [] : [overallRule(overall, 'x')]),
    ],
  };
}

/** Positive share per day or week with its interval as a band, and rows per period below. */
export function trendSpec(trend: TrendFigures, overall: number | null): TopLevelSpec {
  // Each period spans its own length on a UTC time scale: a week's bar is a week wide and its point sits above the
  // middle of it (on a scale of days, a week's bar was one day wide, a hairline once the dates span months).
  const span = (trend.unit === 'week' ? 7 : 1) * DAY_MS;
  const values: Array<Record<string, number | string | null>> = [];
  for (const p of trend.points) {
    const start = Date.parse(`${p.period}T00:00:00Z`);
    const previous = values.at(-1);
    // A period with no row between two that have some: a point of no value there breaks the line and the band, which
    // drew a straight slope across the gap (the Amazon sample's weeks, years apart at first) as if it were data.
    if (previous !== undefined && start > (previous['end'] as number)) {
      const gap = previous['end'] as number;
      values.push({ start: gap, end: gap + span, middle: gap + span / 2, share: null, low: null, high: null, rows: null });
    }
    values.push({ ...p, start, end: start + span, middle: start + span / 2 });
  }
  // Labelled as the day-based scale labelled them (Jan 01, 2024), in UTC: a period is a calendar day, not a moment.
  const time = (field: 'start' | 'middle') => ({ field, type: 'temporal', scale: { type: 'utc' }, title: null, axis: { format: '%b %d, %Y' } }) as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values },
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: WIDTH,
        height: 160,
        layer: [
          { mark: { type: 'area', color: COLOURS.neutral, opacity: 0.18 }, encoding: { x: time('middle'), y: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: shareAxis }, y2: { field: 'high' } } },
          { mark: { type: 'line', color: COLOURS.neutral, point: true }, encoding: { x: time('middle'), y: { field: 'share', type: 'quantitative' } } },
          ...(overall === null ? [] : [overallRule(overall, 'y')]),
        ],
      },
      {
        width: WIDTH,
        height: 70,
        mark: { type: 'bar', color: COLOURS.muted, binSpacing: 1 },
        encoding: {
          x: { ...time('start'), axis: { format: '%b %d, %Y', title: trend.unit === 'week' ? 'week starting' : 'day' } },
          x2: { field: 'end' },
          y: { field: 'rows', type: 'quantitative', title: 'rows', axis: { ...ROWS_AXIS, tickCount: 3 } },
          y2: { datum: 0 },
        },
      },
    ],
  };
}

const DAY_MS = 86_400_000;

/** Star values whose chart fits beside the callouts (half the page) at its widest step. */
export const RATING_VALUES_BESIDE = 6;

/**
 * Positive share per star value with its interval. Up to 20 values (a Booking score of 2.5–10 has that many): at 56 px
 * each such a chart was 1,180 px wide, shrunk into half the page with its labels a few pixels high; the step narrows
 * so that the values fit the page's width (and the page puts a chart of more than RATING_VALUES_BESIDE values above the callouts).
 */
export function ratingSpec(rating: RatingFigures): TopLevelSpec {
  const x = { field: 'stars', type: 'ordinal', sort: null, title: `${rating.column}`, axis: { labelAngle: 0 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: { step: Math.min(56, Math.floor(WIDTH / Math.max(1, rating.values.length))) },
    height: 160,
    data: { values: rating.values.map((v) => ({ ...v, stars: `${v.rating} ★` })) },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.6 } },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: shareAxis },
          color: shareColour,
        },
      },
      { mark: { type: 'rule', color: COLOURS.ink, strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
    ],
  };
}

/** The whole file's positive share, as a dashed reference line. */
function overallRule(overall: number, axis: 'x' | 'y') {
  return {
    data: { values: [{ overall }] },
    mark: { type: 'rule' as const, strokeDash: [4, 3], color: COLOURS.muted },
    encoding: { [axis]: { field: 'overall', type: 'quantitative' as const } },
  };
}
