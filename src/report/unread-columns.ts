import type { Figures } from './figures.js';
import { hasTwoDigitYear } from './dates.js';
import { count, scoredRows } from './html-text.js';

/**
 * What the terminal adds when a --date or --rating column could not be read in some scored rows (the wrong column,
 * or dates written as 11/3/26): the page says so, and a command that printed only its headline left it there.
 * `flags` names them as given (`--date`, or `--report-date` for score --report). Empty when every value was read.
 */
export function unreadColumnLines(figures: Figures, flags: { date: string; rating: string }): string {
  // "1 of 3 scored rows has", "1 of 1 scored row has": the noun agrees with the scored rows, the verb with the part.
  const scored = scoredRows(figures.totals.scored);
  const lines: string[] = [];
  const { trend, rating } = figures;
  if (trend !== null && trend.unreadable > 0) {
    const examples = trend.unreadableExamples.map((example) => `'${example}'`).join(', ');
    // Excel's 11/3/26 or 3-Nov-26: the forms listed say only four-digit years, so the line says what to change.
    const twoDigits = trend.unreadableExamples.some(hasTwoDigitYear) ? '; a year of two digits is not read (its century is a guess): write years in four digits (in Excel, format the column as yyyy-mm-dd)' : '';
    lines.push(
      `  ${flags.date} ${trend.column}: the date of ${count(trend.unreadable)} of ${scored} could not be read${examples === '' ? '' : ` (e.g. ${examples})`}${twoDigits}; the forms read are listed in docs/report.md\n`,
    );
  }
  if (rating !== null && rating.unreadable > 0) {
    lines.push(`  ${flags.rating} ${rating.column}: ${count(rating.unreadable)} of ${scored} ${rating.unreadable === 1 ? 'has' : 'have'} no readable rating: a rating is the cell's leading number (4, 4.0, 4 stars, 4/5, ★★★★☆)\n`);
  }
  return lines.join('');
}
