import type { NotScoredWhy } from './not-scored-why.js';
import { isoDay, parseDay, weekStart } from './dates.js';
import type { DayOrder } from './day-order.js';
import type { RunInfo } from './run-info.js';
import { idColumnHint, looksLikeId } from './id-column.js';
import type { CopyOf } from './job-output-context.js';
import { Count, HISTOGRAM_BINS, type Tally } from './tally.js';
import type { Example } from './top-texts.js';
import { wilsonShare, type Share } from './wilson.js';
import type { NumberOnlyRows } from '../scoring/number-only-text.js';
import { otherLanguageOf, type OtherLanguage } from './other-language.js';

/** The report's figures: what `--format json` writes and what the HTML page shows. */
export interface Figures {
  tool: 'sentiment-batch';
  report: 1;
  input: string;
  generatedAt: string;
  model: string | null;
  run: RunInfo | null;
  /** The summary JSON or checkpoint beside the file that `run` does not come from: a later run's, not yet complete (run-info.ts). */
  runLeftAside?: string[];
  totals: {
    rows: number;
    scored: number;
    skipped: number;
    failed: number;
    /** Scored rows labelled NEGATIVE (the positive ones: `positive.positive`). */
    negative: number;
    /** Scored rows whose text was cut to the model's first 512 tokens (the rest of it not read). */
    truncated: number;
    skippedByCode: Record<string, number>;
    failedByCode: Record<string, number>;
    /** Positive share of the scored rows, with its 95 % Wilson interval. */
    positive: Share;
  };
  /**
   * Rows whose answer cells are not as score writes them (`bad_score`, `not_scored`: edited by hand, or not score's
   * output), counted as failed, with the first row of each; absent when there is none.
   */
  unreadAnswers?: Array<{ code: string; rows: number; firstRow: number }>;
  /** Scored rows whose text is only a number (`3`, `4.5`), and the first: in the totals, in no example. Absent when none. */
  numberOnly?: NumberOnlyRows;
  /** Of the first texts, those that look written in another language, when no run summary beside the file says (other-language.ts). Absent otherwise. */
  otherLanguage?: OtherLanguage;
  /**
   * CSV rows skipped as `empty_text` whose every cell of the input's columns is empty (blank-rows.ts): among
   * `totals.skippedByCode.empty_text`, as the run's summary counts them (`run.blankRows`). Absent when none.
   */
  blankRows?: number;
  /** Each failed or skipped code's first row and the reason written in its error cell or field; absent when every row was scored. */
  notScored?: Record<string, NotScoredWhy>;
  /**
   * The file stands for a job output no summary or checkpoint names it as: its unfinished partial output (with the rows
   * its checkpoint has saved, and those after them, which the next run writes again), or a gzip copy. Absent otherwise.
   */
  copyOf?: { kind: 'unfinished'; output: string; checkpoint: string; savedRows: number; rowsPastCheckpoint: number } | { kind: 'gzip'; output: string };
  /** The run wrote another number of rows than the file has: the file was changed after the run. Absent when they agree. */
  changedSinceRun?: { fileRows: number; runRows: number };
  histogram: Array<{ from: number; to: number; rows: number }>;
  groups: GroupFigures | null;
  trend: TrendFigures | null;
  rating: RatingFigures | null;
  /**
   * The most negative and most positive texts; null with `--examples 0`, as `groups`, `trend` and `rating` are when not
   * asked for: two empty lists would read as "no row has that label".
   */
  examples: { mostNegative: Example[]; mostPositive: Example[] } | null;
}

export interface GroupFigures {
  column: string;
  /** Distinct values counted one by one (at most the cap). */
  distinct: number;
  /** The largest groups, worst positive share first. */
  shown: Array<{ group: string } & Share>;
  /** Scored rows in counted groups not shown (smaller ones). */
  notShownRows: number;
  /** Scored rows whose group value first appeared after the cap was reached; counted together. */
  overflow: Share;
  /** Scored rows with an empty or missing value. */
  missing: number;
  /** The column looks like an id (nearly every row a group of its own): said, with the columns that would group (id-column.ts). */
  idHint?: string;
}

export interface TrendFigures {
  column: string;
  unit: 'day' | 'week';
  points: Array<{ period: string } & Share>;
  missing: number;
  unreadable: number;
  unreadableExamples: string[];
  /** Scored rows whose date is a new day after the first 20,000 distinct ones (55 years): not shown. */
  overCap: number;
  /**
   * Present when dates that read either way (05/11/2026) were read day first, as `rows` scored rows' dates such as
   * `example` can only be read so and none only month first (day-order.ts); `notScored`: no scored row's date shows the
   * order, `rows` dates of rows not scored (skipped, failed) do.
   */
  dayFirst?: { rows: number; example: string; notScored?: true };
  /**
   * Present when the column mixes the orders (day-order.ts): some dates can only be read day first, some only month
   * first, each read so, and those that read either way were read month first, perhaps on the wrong day.
   */
  mixedOrder?: MixedOrder;
  /**
   * Present when every date of two numbers in the column reads either way and none shows the order (day-order.ts):
   * read month first, `example` as the day `readAs` (yyyy-mm-dd), perhaps months from the day it means.
   */
  orderUnknown?: { rows: number; example: string; readAs: string };
}

/** Scored rows of each kind of date in a column that mixes orders, and the first of each as written. */
export interface MixedOrder {
  dayFirstOnly: { rows: number; example: string };
  monthFirstOnly: { rows: number; example: string };
  eitherWay: { rows: number; example: string };
}

export interface RatingFigures {
  column: string;
  values: Array<{ rating: number } & Share>;
  /** Lowest and highest rating read; null when none was readable. */
  range: { lowest: number; highest: number } | null;
  /**
   * Scored rows whose rating is a number outside 1–5. Any such row means the column is
   * not a 1–5 star scale, and the low/high comparison below is not made.
   */
  outsideOneToFive: number;
  /** 1–2 ★ reviews labelled POSITIVE, out of all 1–2 ★ reviews; null when the ratings are not on a 1–5 scale. */
  lowButPositive: RatingMismatch | null;
  /** 4–5 ★ reviews labelled NEGATIVE, out of all 4–5 ★ reviews; null when the ratings are not on a 1–5 scale. */
  highButNegative: RatingMismatch | null;
  /** Scored rows with a readable rating of a value not among the 20 with the most rows: not in `values`, but in `range` and the comparison. */
  otherValues: Share;
  missing: number;
  /** Scored rows whose rating has no leading number. */
  unreadable: number;
}

export interface RatingMismatch {
  rows: number;
  of: number;
  share: number | null;
}

export interface FigureOptions {
  input: string;
  by: string | undefined;
  date: string | undefined;
  rating: string | undefined;
  /** Largest groups shown. */
  groupsShown: number;
  /** A span of more days than this is shown by week. */
  maxDailyPoints: number;
  run: RunInfo | null;
  runLeftAside?: string[] | undefined;
  copyOf?: CopyOf | undefined;
  model: string | null;
  now: Date;
  /** `report --language-check`: off leaves out the check of the first texts' language (other-language.ts). */
  languageCheck?: 'on' | 'off' | undefined;
  /** The file read is JSONL: the id hint names fields, not columns. */
  jsonl?: boolean;
}

export function figuresOf(tally: Tally, options: FigureOptions): Figures {
  const numberOnly = tally.numberOnly.figures();
  const otherLanguage = otherLanguageOf(tally.firstTexts, options.run, options.languageCheck);
  const unreadAnswers = [...tally.firstRowOf].map(([code, firstRow]) => ({ code, rows: tally.failedByCode.get(code) ?? 0, firstRow }));
  return {
    tool: 'sentiment-batch',
    report: 1,
    input: options.input,
    generatedAt: options.now.toISOString(),
    model: options.model,
    run: options.run,
    ...(options.runLeftAside !== undefined ? { runLeftAside: options.runLeftAside } : {}),
    totals: {
      rows: tally.rows,
      scored: tally.scored.rows,
      skipped: tally.skipped,
      failed: tally.failed,
      negative: tally.scored.rows - tally.scored.positive,
      truncated: tally.truncated,
      skippedByCode: sortedRecord(tally.skippedByCode),
      failedByCode: sortedRecord(tally.failedByCode),
      positive: shareOf(tally.scored),
    },
    ...(options.copyOf === undefined ? {} : { copyOf: copyFigures(options.copyOf, tally.rows) }),
    ...(unreadAnswers.length > 0 ? { unreadAnswers } : {}),
    ...(numberOnly !== undefined ? { numberOnly } : {}),
    ...(otherLanguage !== undefined ? { otherLanguage } : {}),
    ...(tally.blankRows > 0 ? { blankRows: tally.blankRows } : {}),
    ...(tally.notScored.size > 0 ? { notScored: Object.fromEntries([...tally.notScored].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {}),
    ...(options.run !== null && options.run.rows !== tally.rows ? { changedSinceRun: { fileRows: tally.rows, runRows: options.run.rows } } : {}),
    histogram: tally.histogram.map((rows, bin) => ({ from: bin / HISTOGRAM_BINS, to: (bin + 1) / HISTOGRAM_BINS, rows })),
    groups: options.by === undefined ? null : groupFigures(tally, options.by, options.groupsShown, options.jsonl === true),
    trend: options.date === undefined ? null : trendFigures(tally, options.date, options.maxDailyPoints),
    rating: options.rating === undefined ? null : ratingFigures(tally, options.rating),
    examples: tally.limits.examples === 0 ? null : { mostNegative: tally.mostNegative.sorted(), mostPositive: tally.mostPositive.sorted() },
  };
}

function copyFigures(copyOf: CopyOf, rows: number): NonNullable<Figures['copyOf']> {
  return copyOf.kind === 'gzip' ? copyOf : { ...copyOf, rowsPastCheckpoint: Math.max(0, rows - copyOf.savedRows) };
}

function shareOf(count: Count): Share {
  return wilsonShare(count.positive, count.rows);
}

function groupFigures(tally: Tally, column: string, shownCount: number, jsonl: boolean): GroupFigures {
  // Largest first (ties by name, so the choice is stable), then worst share first so the worst stands out.
  const largest = [...tally.groups].sort(([a, x], [b, y]) => y.rows - x.rows || (a < b ? -1 : a > b ? 1 : 0)).slice(0, shownCount);
  const shown = largest
    .map(([group, count]) => ({ group, ...shareOf(count) }))
    .sort((a, b) => (a.share ?? 0) - (b.share ?? 0) || b.rows - a.rows);
  const shownRows = shown.reduce((sum, g) => sum + g.rows, 0);
  const countedRows = [...tally.groups.values()].reduce((sum, c) => sum + c.rows, 0);
  return {
    column,
    distinct: tally.groups.size,
    shown,
    notShownRows: countedRows - shownRows,
    overflow: shareOf(tally.groupOverflow),
    missing: tally.groupMissing,
    ...idHintOf(tally, column, countedRows, jsonl),
  };
}

/**
 * Judged on the rows of the values counted one by one: past the cap on groups, weighing their number against every
 * row (an id column of 200,000 rows: 10,000 values for 200,000 rows, 5 %) never found an id.
 */
function idHintOf(tally: Tally, column: string, countedRows: number, jsonl: boolean): Pick<GroupFigures, 'idHint'> {
  const distinct = tally.groups.size;
  return looksLikeId(distinct, countedRows) ? { idHint: idColumnHint(column, distinct, countedRows, tally.columnSample.grouping(), tally.groupOverflow.rows, jsonl) } : {};
}

function trendFigures(tally: Tally, column: string, maxDailyPoints: number): TrendFigures {
  tally.settleDates();
  const order = tally.dayOrder;
  const days = [...tally.days.keys()].sort((a, b) => a - b);
  const span = days.length === 0 ? 0 : days[days.length - 1]! - days[0]! + 1;
  const unit = span > maxDailyPoints ? 'week' : 'day';
  const periods = new Map<number, { rows: number; positive: number }>();
  for (const day of days) {
    const key = unit === 'week' ? weekStart(day) : day;
    const count = tally.days.get(day)!;
    const period = periods.get(key) ?? { rows: 0, positive: 0 };
    period.rows += count.rows;
    period.positive += count.positive;
    periods.set(key, period);
  }
  return {
    column,
    unit,
    points: [...periods].map(([key, p]) => ({ period: isoDay(key), ...wilsonShare(p.positive, p.rows) })),
    missing: tally.dateMissing,
    unreadable: tally.dateUnreadable,
    unreadableExamples: [...tally.unreadableDates],
    overCap: tally.dateOverCap,
    ...dayFirstOf(order),
    ...mixedOrderOf(order),
    ...orderUnknownOf(order),
  };
}

function dayFirstOf(order: DayOrder): Pick<TrendFigures, 'dayFirst'> {
  if (!order.readDayFirst || order.heldRows === 0) return {};
  const proved = order.provedNotScored;
  if (proved !== undefined) return { dayFirst: { ...proved, notScored: true } };
  return order.example === undefined ? {} : { dayFirst: { rows: order.dayFirstOnly, example: order.example } };
}

function orderUnknownOf(order: DayOrder): Pick<TrendFigures, 'orderUnknown'> {
  const example = order.eitherWayExample;
  const day = example === undefined ? undefined : parseDay(example);
  if (!order.orderUnknown || example === undefined || day === undefined) return {};
  return { orderUnknown: { rows: order.eitherWay, example, readAs: isoDay(day) } };
}

function mixedOrderOf(order: DayOrder): Pick<TrendFigures, 'mixedOrder'> {
  if (!order.mixed) return {};
  const example = (cell: string | undefined): string => cell ?? '';
  return {
    mixedOrder: {
      dayFirstOnly: { rows: order.dayFirstOnly, example: example(order.example) },
      monthFirstOnly: { rows: order.monthFirstOnly, example: example(order.monthFirstExample) },
      eitherWay: { rows: order.eitherWay, example: example(order.eitherWayExample) },
    },
  };
}

function ratingFigures(tally: Tally, column: string): RatingFigures {
  // The values with the most rows, not the first seen: a Booking score's 6.5 (5 rows) came before its 9.5 (19 rows).
  const listed = [...tally.ratings].sort(([a, x], [b, y]) => y.rows - x.rows || a - b).slice(0, tally.limits.maxRatings);
  const values = listed.sort(([a], [b]) => a - b).map(([rating, count]) => ({ rating, ...shareOf(count) }));
  const others = new Count();
  for (const [rating, count] of tally.ratings) {
    if (listed.some(([shown]) => shown === rating)) continue;
    others.rows += count.rows;
    others.positive += count.positive;
  }
  others.rows += tally.ratingOverflow.rows;
  others.positive += tally.ratingOverflow.positive;
  const { lowest, highest } = tally.ratingRange;
  // 1–2 low and 4–5 high only mean something on a 1–5 star scale: on a 2.5–10 score, 4.2 is not a good review.
  const oneToFive = tally.ratingOutsideScale === 0;
  // From the bands, not from `values`: the values past the cap on distinct ones count too.
  const { low, high } = tally.ratingBands;
  const highNegative = high.rows - high.positive;
  return {
    column,
    values,
    range: Number.isFinite(lowest) ? { lowest, highest } : null,
    outsideOneToFive: tally.ratingOutsideScale,
    lowButPositive: oneToFive ? { rows: low.positive, of: low.rows, share: low.rows === 0 ? null : low.positive / low.rows } : null,
    highButNegative: oneToFive ? { rows: highNegative, of: high.rows, share: high.rows === 0 ? null : highNegative / high.rows } : null,
    otherValues: shareOf(others),
    missing: tally.ratingMissing,
    unreadable: tally.ratingUnreadable,
  };
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
}
