import { NOT_DATA_CODES } from '../io/record.js';
import { EMPTY_TEXT_CODE } from '../job/row-plan.js';
import { parseDay } from './dates.js';
import { DayOrder } from './day-order.js';
import { parseRating } from './ratings.js';
import { REPORT_ROW_CODES } from './row-outcome.js';
import type { ScoredRow } from './scored-rows.js';
import { TopTexts } from './top-texts.js';
import { ColumnSample } from './id-column.js';
import { startWithin } from '../wording/shown-start.js';
import { keptWhy, type NotScoredWhy } from './not-scored-why.js';
import { isNumberOnly, NumberOnlyCount } from '../scoring/number-only-text.js';
import { FirstTexts } from './other-language.js';

/** Bounds of what one pass keeps, whatever the file's size. */
export interface TallyLimits {
  /** Distinct group values counted one by one; rows of later new values go to one "other groups" count. */
  maxGroups: number;
  /** Examples kept at each end (most negative, most positive). */
  examples: number;
  /** Distinct days counted (55 years of days); rows on later new days count as undated. */
  maxDays: number;
  /** Rating values listed one by one: those with the most rows (the others are counted together, and still in the low/high bands). */
  maxRatings: number;
  /** Distinct rating values counted one by one, to choose those listed from; rows of later new values are counted together. */
  ratingValuesCounted: number;
  /** Read D/M/Y for ambiguous slash dates such as 03/04/2026. */
  dayFirst: boolean;
}

export const DEFAULT_LIMITS: TallyLimits = { maxGroups: 10_000, examples: 5, maxDays: 20_000, maxRatings: 20, ratingValuesCounted: 1_000, dayFirst: false };

/** Histogram of the positive score: 20 bins of 0.05. */
export const HISTOGRAM_BINS = 20;

/** Longer group values are cut (never inside an emoji: startWithin), so a text column given as --by cannot fill memory. */
export const GROUP_KEY_CHARS = 120;

/** Error codes that mean "not sent on purpose" rather than "failed": the codes score counts as skipped (an empty text, a record that is no data). */
export const SKIP_CODES: ReadonlySet<string> = new Set([EMPTY_TEXT_CODE, ...NOT_DATA_CODES]);

const REPORT_CODES: ReadonlySet<string> = new Set(Object.values(REPORT_ROW_CODES));

export class Count {
  rows = 0;
  positive = 0;
  add(positive: boolean): void {
    this.rows += 1;
    if (positive) this.positive += 1;
  }
}

/**
 * Everything the report shows, accumulated one row at a time in memory bounded by
 * {@link TallyLimits}: counts, a fixed histogram, capped maps and two small heaps.
 */
export class Tally {
  readonly limits: TallyLimits;
  rows = 0;
  readonly scored = new Count();
  /** Scored rows whose text was cut to the model's first 512 tokens. */
  truncated = 0;
  skipped = 0;
  failed = 0;
  readonly skippedByCode = new Map<string, number>();
  /** Of the rows skipped as empty_text, the blank rows (blank-rows.ts): counted apart, as the run's summary counts them. */
  blankRows = 0;
  readonly failedByCode = new Map<string, number>();
  /** The first row of each code the report itself gives (an answer not as score writes it), for the user to find it. */
  readonly firstRowOf = new Map<string, number>();
  /** Each failed or skipped code's first row and the reason written there (the 50 codes counted one by one). */
  readonly notScored = new Map<string, NotScoredWhy>();
  readonly histogram: number[] = new Array<number>(HISTOGRAM_BINS).fill(0);
  readonly groups = new Map<string, Count>();
  /** The other columns' values in the first rows (with --by): which would group, if --by looks like an id. */
  readonly columnSample = new ColumnSample();
  readonly groupOverflow = new Count();
  groupMissing = 0;
  readonly days = new Map<number, Count>();
  dateMissing = 0;
  dateUnreadable = 0;
  /** Rows whose readable date is a new day once maxDays days are counted: not shown, and not unreadable. */
  dateOverCap = 0;
  readonly unreadableDates: string[] = [];
  /** The order of the date column's two numbers, read from the column (day-order.ts); not used under --day-first. */
  readonly dayOrder: DayOrder;
  readonly ratings = new Map<number, Count>();
  ratingMissing = 0;
  /** Rows whose rating cell has no leading number. */
  ratingUnreadable = 0;
  /** Rows with a readable rating whose value first appeared after the cap on distinct values counted: not listed per value. */
  readonly ratingOverflow = new Count();
  /** Rows rated 1–2 (low) and 4–5 (high), every readable value counted, past the cap too. */
  readonly ratingBands = { low: new Count(), high: new Count() };
  /** Lowest and highest rating read (over every readable value, past the cap too). */
  readonly ratingRange = { lowest: Infinity, highest: -Infinity };
  /** Scored rows whose rating is a number outside 1–5. */
  ratingOutsideScale = 0;
  /** Scored rows whose text is only a number (`3`, `4.5`): counted with the others, named, and no example. */
  readonly numberOnly = new NumberOnlyCount();
  /** The first rows' texts, for the check of reviews in another language (other-language.ts). */
  readonly firstTexts = new FirstTexts();
  readonly mostNegative: TopTexts;
  readonly mostPositive: TopTexts;
  readonly #skipCodes: Set<string>;

  /** `skipCodes`: codes counted as skipped (empty_text, and text_too_long when the run used --long-text skip). */
  constructor(limits: TallyLimits = DEFAULT_LIMITS, skipCodes: Iterable<string> = SKIP_CODES) {
    this.limits = limits;
    this.#skipCodes = new Set(skipCodes);
    this.dayOrder = new DayOrder(limits.maxDays);
    this.mostNegative = new TopTexts(limits.examples, (e) => -e.positive);
    this.mostPositive = new TopTexts(limits.examples, (e) => e.positive);
  }

  add(row: ScoredRow): void {
    this.rows += 1;
    if (row.others !== undefined) this.columnSample.add(row.others);
    this.firstTexts.add(row.text);
    const { outcome } = row;
    if (outcome.kind === 'error') {
      const skipped = this.#skipCodes.has(outcome.code);
      if (skipped) this.skipped += 1;
      else this.failed += 1;
      if (skipped && row.blankRow === true) this.blankRows += 1;
      const code = bump(skipped ? this.skippedByCode : this.failedByCode, outcome.code);
      if (!this.notScored.has(code)) this.notScored.set(code, { firstRow: row.row, message: code === outcome.code ? keptWhy(row.errorMessage) : null });
      if (REPORT_CODES.has(outcome.code) && !this.firstRowOf.has(outcome.code)) this.firstRowOf.set(outcome.code, row.row);
      // On no day, but of the column: its date may show the order the column is written in (day-order.ts).
      if (!this.limits.dayFirst && row.date !== undefined) this.dayOrder.note(row.date);
      return;
    }
    const positive = outcome.label === 'POSITIVE';
    this.scored.add(positive);
    if (row.truncated === true) this.truncated += 1;
    this.histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(outcome.positive * HISTOGRAM_BINS))]! += 1;
    // "Most negative" lists NEGATIVE rows only: in a file with few of them, the lowest scores may be positive ones.
    // A text that is only a number is no example of either: `3` (NEGATIVE 0.443) was listed beside real reviews.
    if (row.text !== undefined && isNumberOnly(row.text)) this.numberOnly.add(row.row);
    else if (row.text !== undefined) (positive ? this.mostPositive : this.mostNegative).offer(row.row, outcome.positive, row.text, row.truncated === true);
    this.#addGroup(row.group, positive);
    this.#addDate(row.date, positive);
    this.#addRating(row.rating, positive);
  }

  #addGroup(value: string | undefined, positive: boolean): void {
    const key = value === undefined ? undefined : startWithin(value.trim(), GROUP_KEY_CHARS);
    if (key === undefined || key === '') {
      this.groupMissing += 1;
      return;
    }
    let count = this.groups.get(key);
    if (count === undefined) {
      if (this.groups.size >= this.limits.maxGroups) {
        this.groupOverflow.add(positive);
        return;
      }
      count = new Count();
      this.groups.set(key, count);
    }
    count.add(positive);
  }

  #addDate(value: string | undefined, positive: boolean): void {
    if (value === undefined || value.trim() === '') {
      this.dateMissing += 1;
      return;
    }
    if (!this.limits.dayFirst && this.dayOrder.hold(value, positive)) return;
    const day = parseDay(value, this.limits.dayFirst);
    let count = day === undefined ? undefined : this.days.get(day);
    if (day !== undefined && count === undefined && this.days.size < this.limits.maxDays) {
      count = new Count();
      this.days.set(day, count);
    }
    if (count === undefined && day !== undefined) {
      this.dateOverCap += 1;
      return;
    }
    if (count === undefined) {
      this.dateUnreadable += 1;
      // Three distinct values: an export's one unreadable form repeated (11/3/26 on every row) was shown three times.
      const example = startWithin(value, 40);
      if (this.unreadableDates.length < 3 && !this.unreadableDates.includes(example)) this.unreadableDates.push(example);
      return;
    }
    count.add(positive);
  }

  /** Puts the rows whose date was held for its order (day-order.ts) on their days: after the last row, before the figures. */
  settleDates(): void {
    for (const { day, rows, positive } of this.dayOrder.settle()) {
      let count = this.days.get(day);
      if (count === undefined) {
        if (this.days.size >= this.limits.maxDays) {
          this.dateOverCap += rows;
          continue;
        }
        count = new Count();
        this.days.set(day, count);
      }
      count.rows += rows;
      count.positive += positive;
    }
  }

  #addRating(value: string | undefined, positive: boolean): void {
    if (value === undefined || value.trim() === '') {
      this.ratingMissing += 1;
      return;
    }
    // "4", "4.0", "4 stars", "4/5": the leading number.
    const stars = parseRating(value);
    if (stars === undefined) {
      this.ratingUnreadable += 1;
      return;
    }
    // Counted before the cap on distinct values, so a 0–10 score is seen as one even past the 20th value,
    // and a 1–5 column of many decimal values (4.3, 4.7…) is compared with the labels row for row.
    this.ratingRange.lowest = Math.min(this.ratingRange.lowest, stars);
    this.ratingRange.highest = Math.max(this.ratingRange.highest, stars);
    if (stars < 1 || stars > 5) this.ratingOutsideScale += 1;
    if (stars <= 2) this.ratingBands.low.add(positive);
    if (stars >= 4) this.ratingBands.high.add(positive);
    let count = this.ratings.get(stars);
    if (count === undefined && this.ratings.size < this.limits.ratingValuesCounted) {
      count = new Count();
      this.ratings.set(stars, count);
    }
    (count ?? this.ratingOverflow).add(positive);
  }
}

/** Counts a row of `key`, or of `other` past 50 codes; returns the code it was counted as. */
function bump(map: Map<string, number>, key: string): string {
  // Error codes are a short fixed list; the cap only guards against a file full of made-up ones.
  if (!map.has(key) && map.size >= 50) key = 'other';
  map.set(key, (map.get(key) ?? 0) + 1);
  return key;
}
