/**
 * A review that is only a number (`3`, `4.5`, `1,000`) in a text column of words: a rating or a count typed where the
 * review goes, or a review that said no more. Both models read words; of a number they answer whatever its few tokens
 * lean to (the embedded model gave `3` NEGATIVE 0.443), so such a row is scored as before, but its score says nothing of
 * sentiment. The start-up check refuses a column whose first texts are all numbers (preflight/numbers-as-text.ts); these
 * are the few among words, which it leaves on purpose. The summary and the report count them and name the first, and the
 * report keeps them out of its most negative and most positive examples, where `3` was listed beside real reviews.
 * A number with a word or a sign of its scale (`10/10`, `5 stars`, `100%`) is not one: it says something a reader takes
 * for praise or blame. Measured 2026-12-06 on the shared review exports: 0 texts in every review column (Yelp, Amazon,
 * Booking, IMDb, TripAdvisor, App Store), 5 of the App Store's 2,292 titles (`1`, `6`, `15`).
 */
import { groupedNumber } from '../wording/grouped-number.js';

/** Digits with an optional sign, decimal point or comma, and thousands groups; nothing else but white space around. */
const NUMBER_ONLY = /^[+\-\u2212]?(?:[0-9]+(?:[.,][0-9]+)*|[.,][0-9]+)$/;

/** Whether the text (as the job sends it) is a number alone; NFKC reads full-width digits (`４`) as digits. */
export function isNumberOnly(text: string): boolean {
  return NUMBER_ONLY.test(text.normalize('NFKC').trim());
}

/** The scored rows whose text is only a number: how many, and the first (1-based data row, header excluded). */
export interface NumberOnlyRows {
  rows: number;
  firstRow: number;
}

/** Counts them one row at a time, in input order. */
export class NumberOnlyCount {
  rows = 0;
  firstRow = 0;

  add(row: number): void {
    if (this.rows === 0) this.firstRow = row;
    this.rows += 1;
  }

  /** Undefined when there were none: the summary and the report's JSON then carry no field, as before. */
  figures(): NumberOnlyRows | undefined {
    return this.rows === 0 ? undefined : { rows: this.rows, firstRow: this.firstRow };
  }
}

/** The sentence the summary and the report page both say of them. */
export function numberOnlySentence({ rows, firstRow }: NumberOnlyRows): string {
  if (rows === 1) return `1 text is only a number (row ${groupedNumber(firstRow)}): its score says nothing of sentiment`;
  return `${groupedNumber(rows)} texts are only a number (the first: row ${groupedNumber(firstRow)}): their scores say nothing of sentiment`;
}

/**
 * Two parts of one output's counts (an earlier run's and this run's, or a mend's): the rows added, the first the
 * lower. A count of 0 rows (the checkpoint's "none", state/checkpoint.ts) adds nothing.
 */
export function withNumberOnlyRows(a: NumberOnlyRows | undefined, b: NumberOnlyRows | undefined): NumberOnlyRows {
  const parts = [a, b].filter((part): part is NumberOnlyRows => part !== undefined && part.rows > 0);
  if (parts.length === 0) return { rows: 0, firstRow: 0 };
  return { rows: parts.reduce((sum, part) => sum + part.rows, 0), firstRow: Math.min(...parts.map((part) => part.firstRow)) };
}

/**
 * A count a run could have written for an output of `totals`: at most its scored rows, the first a data row it read
 * (0 with none). Edited by hand, it would be said by every later summary as the output's.
 */
export function isNumberOnlyRows(value: unknown, totals: { read: number; scored: number }): value is NumberOnlyRows {
  if (typeof value !== 'object' || value === null) return false;
  const { rows, firstRow } = value as Partial<NumberOnlyRows>;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(firstRow) || (rows as number) < 0 || (rows as number) > totals.scored) return false;
  return rows === 0 ? firstRow === 0 : (firstRow as number) >= 1 && (firstRow as number) <= totals.read;
}
