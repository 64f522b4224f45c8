/**
 * A --date or --rating column in which no scored row's value could be read, though it holds values: the wrong
 * column (`--date title`), or dates in a form not read (`11/3/26`). A report whose trend or rating view is then
 * empty is a wrong result, not a figure: refused (exit 2) as a column the file does not have is, and not written.
 * A column read in SOME rows is a report with a line saying how many were not (unread-columns.ts); a column
 * empty in every row (an export without dates) is no wrong name either, and is reported as it is.
 */
import { ConfigError } from '../errors.js';
import { hasTwoDigitYear } from './dates.js';
import type { Figures } from './figures.js';
import { count, scoredRows } from './html-text.js';

/** `afterRun`: score --report's words, whose output is complete (the same command with the right column writes only the report). */
export function refuseUnreadColumns(figures: Figures, flags: { date: string; rating: string }, afterRun = false): void {
  const { trend, rating, totals } = figures;
  const end = afterRun ? 'no report written (the output is complete: the same command with the right column writes only the report)' : 'no report written';
  const all = totals.scored === 1 ? 'the 1 scored row' : `any of the ${count(totals.scored)} scored rows`;
  if (trend !== null && trend.unreadable > 0 && trend.missing + trend.unreadable === totals.scored) {
    throw noDateRead(`${flags.date} ${trend.column}`, all, trend.unreadableExamples, end);
  }
  if (rating !== null && rating.unreadable > 0 && rating.range === null) {
    // Said only when some cells were empty: "in any of the 28 scored rows (28 scored rows have …)" said it twice.
    const someEmpty = rating.missing > 0 ? ` (${scoredRows(rating.unreadable, 'a value with no leading number')}, the others none)` : '';
    throw noRatingRead(`${flags.rating} ${rating.column}`, `${all}${someEmpty}`, end);
  }
}

/**
 * The refusal of a date column none of whose values reads: `named` is the flag and column, `where` the rows looked at
 * (`any of the 3 scored rows`), `end` what was not done. Also said by the job's start (preflight/report-values.ts).
 */
export function noDateRead(named: string, where: string, unreadable: readonly string[], end: string): ConfigError {
  const examples = unreadable.map((example) => `'${example}'`).join(', ');
  const twoDigits = unreadable.some(hasTwoDigitYear) ? '; a year of two digits is not read (its century is a guess): write years in four digits (in Excel, format the column as yyyy-mm-dd)' : '';
  return new ConfigError(
    `${named}: no date could be read in ${where} (e.g. ${examples})${twoDigits}; a date is written as 2026-11-03, ` +
      `11/03/2026, 03.11.2026, Nov 3, 2026 or a Unix time (every form read is listed in docs/report.md): name the column that holds the dates (or none, for no trend); ${end}`,
  );
}

/** The refusal of a rating column none of whose values reads, in the same terms as noDateRead's. */
export function noRatingRead(named: string, where: string, end: string): ConfigError {
  return new ConfigError(
    `${named}: no rating could be read in ${where}; a rating is the cell's leading number (4, 4.0, 4 stars, 4/5, ★★★★☆): name the column that holds the ratings (or none); ${end}`,
  );
}
