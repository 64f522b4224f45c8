import { groupedNumber } from '../wording/grouped-number.js';

/** Text for the page: every value from the file passes through `escapeHtml` before it is inserted. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A file's name without its folders, whichever separator (/ or \) its path has. */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** 12,345 */
export function count(n: number): string {
  return groupedNumber(n);
}

/** "1 scored row has no date", "3 scored rows have no date"; without `has`, just the counted noun. */
export function scoredRows(n: number, has?: string): string {
  const noun = `${count(n)} scored row${n === 1 ? '' : 's'}`;
  return has === undefined ? noun : `${noun} ${n === 1 ? 'has' : 'have'} ${has}`;
}

/** 62.5 % (one decimal), or – when there is nothing to divide. */
export function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}

/** 55.1–69.3 % */
export function interval(low: number | null, high: number | null): string {
  return low === null || high === null ? '–' : `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)} %`;
}

export function seconds(value: number): string {
  // Under a minute as it is; above, in whole seconds first, so 119.6 s is 2 min 0 s, not 1 min 60 s.
  if (value < 59.95) return `${value.toFixed(1)} s`;
  const whole = Math.round(value);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A figure the tests read back: `<span data-figure="totals.rows">1,234</span>`. */
export function figure(name: string, text: string): string {
  return `<span data-figure="${escapeHtml(name)}">${escapeHtml(text)}</span>`;
}
