import { numberOrder } from './dates.js';
import { startWithin } from '../wording/shown-start.js';

/** What an example date shows of its cell: the date and a little after it, never half an emoji (startWithin). */
const EXAMPLE_CHARS = 40;

/** The rows of one date held until the column's order is known. */
interface Held {
  /** The same cell's day read day first; the map's key is its day read month first. */
  dayFirst: number;
  rows: number;
  positive: number;
}

/**
 * Which order a date column writes its two numbers in, read from the column itself. A British or European export
 * (Google Sheets, Excel) writes `05/11/2026` for 5 November; read in US order, as `--date` does unless told
 * `--day-first`, the 1st to 12th of each month became other months (the 25th, which cannot be a month, stayed day
 * first): a file of one November showed a trend from January to December, and said nothing. A column is written
 * in one order, so a date that can only be read day first (`25/11/2026`) tells it, unless another can only be read
 * month first (`11/25/2026`: a mixed column, read as before, and said: {@link mixed}). The report is one pass, so
 * the dates that could be read either way are held by day, a bounded map, and put on their days once the whole
 * column is seen.
 */
export class DayOrder {
  /** Scored rows whose date can only be read day first, and the first of them as written. */
  dayFirstOnly = 0;
  example: string | undefined;
  /** Scored rows whose date can only be read month first, and the first of them as written. */
  monthFirstOnly = 0;
  monthFirstExample: string | undefined;
  /** Scored rows whose date reads either way (held or, past the cap, read month first at once), and the first. */
  eitherWay = 0;
  eitherWayExample: string | undefined;
  /** Scored rows held, their date readable either way. */
  heldRows = 0;
  /**
   * Rows not scored (skipped, failed) whose date can only be read one way, and the first day-first one: their dates are
   * on no day, but they are of the column. Read only when no scored row's date shows the order: a week of November
   * whose one 25/11/2026 was on a skipped row was read month first, January to July, with a warning to add --day-first.
   */
  notScoredDayFirst = 0;
  notScoredExample: string | undefined;
  notScoredMonthFirst = 0;
  readonly #held = new Map<number, Held>();
  readonly #maxHeld: number;

  /** `maxHeld`: distinct dates held; the rows of later new ones are read month first at once, as before. */
  constructor(maxHeld: number) {
    this.#maxHeld = maxHeld;
  }

  /** Notes the order the cell shows; true when its row is held here until {@link settle}. */
  hold(cell: string, positive: boolean): boolean {
    const order = numberOrder(cell);
    if (order === undefined) return false;
    if (order === 'day-first') {
      this.dayFirstOnly += 1;
      this.example ??= startWithin(cell.trim(), EXAMPLE_CHARS);
      return false;
    }
    if (order === 'month-first') {
      this.monthFirstOnly += 1;
      this.monthFirstExample ??= startWithin(cell.trim(), EXAMPLE_CHARS);
      return false;
    }
    this.eitherWay += 1;
    this.eitherWayExample ??= startWithin(cell.trim(), EXAMPLE_CHARS);
    let held = this.#held.get(order.monthFirst);
    if (held === undefined) {
      if (this.#held.size >= this.#maxHeld) return false;
      held = { dayFirst: order.dayFirst, rows: 0, positive: 0 };
      this.#held.set(order.monthFirst, held);
    }
    held.rows += 1;
    if (positive) held.positive += 1;
    this.heldRows += 1;
    return true;
  }

  /** Notes the order the date of a row not scored shows (see `notScoredDayFirst`). */
  note(cell: string): void {
    const order = numberOrder(cell);
    if (order === 'day-first') {
      this.notScoredDayFirst += 1;
      this.notScoredExample ??= startWithin(cell.trim(), EXAMPLE_CHARS);
    } else if (order === 'month-first') this.notScoredMonthFirst += 1;
  }

  /** Day first: some date of the column can only be read so, and none only month first. */
  get readDayFirst(): boolean {
    return (this.dayFirstOnly > 0 && this.monthFirstOnly === 0) || this.#notScoredSay === 'day-first';
  }

  /** What the rows not scored prove, when the scored rows prove nothing: one order, or nothing (none, or both). */
  get #notScoredSay(): 'day-first' | 'month-first' | undefined {
    if (this.dayFirstOnly > 0 || this.monthFirstOnly > 0) return undefined;
    if (this.notScoredDayFirst > 0 && this.notScoredMonthFirst === 0) return 'day-first';
    if (this.notScoredMonthFirst > 0 && this.notScoredDayFirst === 0) return 'month-first';
    return undefined;
  }

  /** Read day first by the dates of rows not scored alone: `rows` of them, the first `example`. */
  get provedNotScored(): { rows: number; example: string } | undefined {
    return this.#notScoredSay === 'day-first' && this.notScoredExample !== undefined ? { rows: this.notScoredDayFirst, example: this.notScoredExample } : undefined;
  }

  /**
   * Both orders in one column (two exports joined, one British, one American), and dates read month first that could
   * have been day first: each only-one-way date is on its day, the others perhaps not, so the report says so.
   */
  get mixed(): boolean {
    return this.dayFirstOnly > 0 && this.monthFirstOnly > 0 && this.eitherWay > 0;
  }

  /**
   * No date of the column shows its order: every one of two numbers reads either way (a British export of the 1st to
   * the 12th, `05/11/2026`), none day first only nor month first only. They are read month first, as `--date` reads
   * without `--day-first`, which may be wrong by months, so the report says so ({@link settle} reads them so).
   */
  get orderUnknown(): boolean {
    return this.eitherWay > 0 && this.dayFirstOnly === 0 && this.monthFirstOnly === 0 && this.#notScoredSay === undefined;
  }

  /** The rows held, each group on its day in the column's order; the hold is empty after. */
  *settle(): Generator<{ day: number; rows: number; positive: number }> {
    const dayFirst = this.readDayFirst;
    for (const [monthFirst, held] of this.#held) yield { day: dayFirst ? held.dayFirst : monthFirst, rows: held.rows, positive: held.positive };
    this.#held.clear();
  }
}
