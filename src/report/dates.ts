/**
 * The calendar day of a date cell as review exports write it, as days since
 * 1970-01-01 (UTC), or undefined when it is not a date. The day is the one
 * written: a time or offset after it does not move it to another day.
 *
 * - ISO 8601: `2026-11-01`, `2026-11-01T18:04:00Z`, `2026-11-01 18:04:00+02:00`, `2026/11/01`
 * - `DD.MM.YYYY` (German and others), `DD-MM-YYYY`
 * - `MM/DD/YYYY` (US), or `DD/MM/YYYY` when `dayFirst` or when the first number is over 12
 * - Unix time in seconds (10 digits) or milliseconds (13 digits)
 * - month names: `Nov 1, 2026`, `1 November 2026`, `Sun, 01 Nov 2026 10:00:00 GMT`
 * - the same order in numbers: `11 01, 2026` (Amazon's review exports), month first as the comma says,
 *   day first when told or when the first number is over 12
 */
export function parseDay(cell: string, dayFirst = false): number | undefined {
  const text = cell.trim();
  if (text === '') return undefined;
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T\s])/.exec(text);
  if (m) return dayNumber(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|\s)/.exec(text);
  if (m) return dayNumber(+m[3]!, +m[2]!, +m[1]!);
  m = SLASH_OR_DASH.exec(text);
  if (m) {
    // A dash separator is day first (DD-MM-YYYY); a slash is US order unless told or impossible.
    return monthFirstUnless(+m[4]!, +m[1]!, +m[3]!, m[2] === '-' || dayFirst);
  }
  m = NUMBERS_COMMA_YEAR.exec(text);
  if (m) return monthFirstUnless(+m[3]!, +m[1]!, +m[2]!, dayFirst);
  if (/^\d{10}(\.\d+)?$/.test(text)) return dayOfMs(Number(text) * 1000);
  if (/^\d{13}$/.test(text)) return dayOfMs(Number(text));
  if (/[a-z]{3}/i.test(text)) return dayOfNamedMonth(text);
  return undefined;
}

const SLASH_OR_DASH = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:$|[T\s,])/;
const NUMBERS_COMMA_YEAR = /^(\d{1,2})\s+(\d{1,2}),\s*(\d{4})$/;

/**
 * The order a date of two numbers and a year can be read in, when the writer chose it (`11/03/2026`, `11 03, 2026`;
 * not `11-03-2026`, always day first): `day-first` when the first number is over 12 (`25/11/2026`), `month-first`
 * when the second is, else both readings as day numbers (month first, day first) when they differ; undefined for any
 * other cell, or one that is no date either way.
 */
export function numberOrder(cell: string): 'day-first' | 'month-first' | { monthFirst: number; dayFirst: number } | undefined {
  const text = cell.trim();
  let m = SLASH_OR_DASH.exec(text);
  const parts = m && m[2] === '/' ? [+m[4]!, +m[1]!, +m[3]!] : (m = NUMBERS_COMMA_YEAR.exec(text)) ? [+m[3]!, +m[1]!, +m[2]!] : undefined;
  if (parts === undefined) return undefined;
  const [year, first, second] = parts as [number, number, number];
  const monthFirst = dayNumber(year, first, second);
  const dayFirst = dayNumber(year, second, first);
  if (monthFirst === undefined) return dayFirst === undefined ? undefined : 'day-first';
  if (dayFirst === undefined) return 'month-first';
  return monthFirst === dayFirst ? undefined : { monthFirst, dayFirst };
}

/**
 * Whether a cell parseDay does not read is a date with a two-digit year, as Excel often writes them (`11/3/26`,
 * `3-Nov-26`, `Nov 3, 26`): left unread, since its century is a guess (and, in numbers only, its order too), but
 * worth naming in the message that says dates could not be read.
 */
export function hasTwoDigitYear(cell: string): boolean {
  const text = cell.trim();
  return (
    /^\d{1,2}([/.-])\d{1,2}\1\d{2}(?:$|[T\s,])/.test(text) ||
    /^\d{1,2}[-\s][a-z]{3,}\.?[-\s]\d{2}(?:$|[T\s,])/i.test(text) ||
    /^[a-z]{3,}\.?[-\s]\d{1,2},?[-\s]\d{2}(?:$|[T\s])/i.test(text)
  );
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Nov 1, 2026", "1 November 2026", "Sun, 01 Nov 2026 10:00:00 GMT": the day and month as written. */
function dayOfNamedMonth(text: string): number | undefined {
  let m = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})\b/i.exec(text);
  if (m) return dayFromParts(+m[3]!, m[2]!, +m[1]!);
  m = /\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i.exec(text);
  if (m) return dayFromParts(+m[3]!, m[1]!, +m[2]!);
  return undefined;
}

function dayFromParts(year: number, monthName: string, day: number): number | undefined {
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  return month === 0 ? undefined : dayNumber(year, month, day);
}

function dayOfMs(ms: number): number | undefined {
  return Number.isFinite(ms) ? Math.floor(ms / 86_400_000) : undefined;
}

/** Two numbers of a date, month then day, unless `dayFirst` or the first cannot be a month (over 12). */
function monthFirstUnless(year: number, first: number, second: number, dayFirst: boolean): number | undefined {
  return dayFirst || first > 12 ? dayNumber(year, second, first) : dayNumber(year, first, second);
}

/** Days since 1970-01-01 of a valid calendar date; 31 February and month 13 are not dates. */
function dayNumber(year: number, month: number, day: number): number | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms / 86_400_000;
}

/** `2026-11-01` for a day number. */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday that starts the ISO week of a day (1970-01-01 was a Thursday). */
export function weekStart(day: number): number {
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  return day - weekday;
}
