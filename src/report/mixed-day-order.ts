import type { MixedOrder, TrendFigures } from './figures.js';
import { count, escapeHtml } from './html-text.js';

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

/** The line for standard error; `flag` names the setting as given (`--date`, `--report-date`). Undefined for a column in one order. */
export function mixedOrderLine(trend: TrendFigures | null, flag: string): string | undefined {
  const m = trend?.mixedOrder;
  if (trend == null || m === undefined) return undefined;
  return `${flag} ${trend.column} mixes day-first and month-first dates: ${mixedOrderWords(m, (e) => `'${e}'`, "'")}: write the column in one order (or yyyy-mm-dd)`;
}

/** The page's sentence, in bold among the trend's notes. */
export function mixedOrderHtml(trend: TrendFigures): string | undefined {
  const m = trend.mixedOrder;
  if (m === undefined) return undefined;
  return `<b>The dates of ${escapeHtml(trend.column)} mix day-first and month-first: ${mixedOrderWords(m, (e) => `“${escapeHtml(e)}”`, '’')}.</b>`;
}
