import type { MixedOrder, TrendFigures } from './figures.js';
import { count, escapeHtml } from './html-text.js';
import { shellWord } from '../wording/shell-word.js';

/**
 * A --date column mixing day-first and month-first dates (two exports joined, one British, one American): each date
 * that reads one way only is on its day, but those that read either way were read month first, perhaps on the wrong
 * day, so the report says so with an example of each: on standard error, and on the page (`quote` marks the examples).
 */
function mixedOrderWords(m: MixedOrder, quote: (example: string) => string, apostrophe: string): string {
  const dates = m.dayFirstOnly.rows === 1 ? `1 scored row${apostrophe}s date` : `${count(m.dayFirstOnly.rows)} scored rows${apostrophe} dates`;
  return (
    `${dates} can only be read day first (e.g. ${quote(m.dayFirstOnly.example)}), ${count(m.monthFirstOnly.rows)} only month first (e.g. ${quote(m.monthFirstOnly.example)}); ` +
    `each was read in its only order, and the ${count(m.eitherWay.rows)} that ${m.eitherWay.rows === 1 ? 'reads' : 'read'} either way (e.g. ${quote(m.eitherWay.example)}) month first, so some may be on the wrong day`
  );
}

/**
 * A --date column none of whose dates shows its order (a British export of 1 to 7 November): read month first, as
 * --date reads without --day-first, which puts such a week from January to July. Said, with the day an example was
 * read as, so that a wrong order is seen, and --day-first named as the other reading.
 */
function orderUnknownWords(u: NonNullable<TrendFigures['orderUnknown']>, quote: (example: string) => string, apostrophe: string): string {
  const dates = u.rows === 1 ? `1 scored row${apostrophe}s date reads` : `${count(u.rows)} scored rows${apostrophe} dates read`;
  return (
    `${dates} either way (e.g. ${quote(u.example)}), and none only day first (25/11/2026) nor only month first (11/25/2026): ` +
    `they were read month first, in US order (${quote(u.example)} as ${u.readAs})`
  );
}

/**
 * The line for standard error about the order the column's dates were read in, undefined when the column shows it;
 * `flag` names the setting as given (`--date`, `--report-date`). `scoreRun`: the output and the report of a
 * `score --report` run, which has no --day-first: the advice is then the report command that has it, writing that page,
 * with the run's --report-by and --report-rating (`by`, `rating`): without them it wrote a page without those charts.
 */
export function dayOrderLine(trend: TrendFigures | null, flag: string, scoreRun?: { scored: string; report: string; by?: string | undefined; rating?: string | undefined }): string | undefined {
  if (trend == null) return undefined;
  const m = trend.mixedOrder;
  if (m !== undefined) return `${flag} ${trend.column} mixes day-first and month-first dates: ${mixedOrderWords(m, (e) => `'${e}'`, "'")}: write the column in one order (or yyyy-mm-dd)`;
  const u = trend.orderUnknown;
  if (u === undefined) return undefined;
  const again =
    scoreRun === undefined
      ? 'run again with --day-first'
      : `make the report with sentiment-batch report ${shellWord(scoreRun.scored)} --date ${shellWord(trend.column)}${columnFlags(scoreRun)} --day-first -o ${shellWord(scoreRun.report)}`;
  return `${flag} ${trend.column}: ${orderUnknownWords(u, (e) => `'${e}'`, "'")}; if the column writes the day first (a British or European export), ${again}`;
}

/** The report command's --by and --rating for a score run's --report-by and --report-rating. */
function columnFlags({ by, rating }: { by?: string | undefined; rating?: string | undefined }): string {
  return `${by === undefined ? '' : ` --by ${shellWord(by)}`}${rating === undefined ? '' : ` --rating ${shellWord(rating)}`}`;
}

/** The page's sentence, in bold among the trend's notes. */
export function dayOrderHtml(trend: TrendFigures): string | undefined {
  const m = trend.mixedOrder;
  if (m !== undefined) return `<b>The dates of ${escapeHtml(trend.column)} mix day-first and month-first: ${mixedOrderWords(m, (e) => `“${escapeHtml(e)}”`, '’')}.</b>`;
  const u = trend.orderUnknown;
  if (u === undefined) return undefined;
  return `<b>In ${escapeHtml(trend.column)}, ${orderUnknownWords(u, (e) => `“${escapeHtml(e)}”`, '’')}; if the column writes the day first, make the report with report --day-first.</b>`;
}
