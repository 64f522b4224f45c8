import { ConfigError } from '../errors.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { didYouMeanValue } from './did-you-mean.js';

/** Validators shared by flags, job files and environment: each says what it expected and what it got. */

export function positiveInteger(name: string, value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new ConfigError(`${name} expects a positive integer, got ${show(value)}`);
  }
  refuseInexact(name, n, value);
  return n;
}

/** A positive integer no larger than `max` (a limit past which the value can only be a typo). */
export function positiveIntegerAtMost(max: number): (name: string, value: unknown) => number {
  return (name, value) => {
    const n = positiveInteger(name, value);
    if (n > max) throw new ConfigError(`${name} expects a positive integer of at most ${groupedNumber(max)}, got ${show(value)}`);
    return n;
  };
}

export function nonNegativeInteger(name: string, value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ConfigError(`${name} expects a whole number of 0 or more, got ${show(value)}`);
  }
  refuseInexact(name, n, value);
  return n;
}

/** A count past 2^53 is not the number typed (99999999999999999999 was taken as 100000000000000000000). */
function refuseInexact(name: string, n: number, value: unknown): void {
  if (!Number.isSafeInteger(n)) throw new ConfigError(`${name} expects a whole number of at most ${groupedNumber(Number.MAX_SAFE_INTEGER)}, got ${show(value)}`);
}

/** Milliseconds per unit of a duration; every duration option (--timeout, --grace, --checkpoint-interval) takes all of them. */
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** What a refused duration is told it should look like. */
const DURATION_SHAPE = 'a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h)';

/**
 * Durations: a number with its unit, "500ms", "30s", "2m" or "1h". A bare number is
 * refused, even in a job file: `--timeout 30` once meant 30 ms to one user and
 * 30 s to another, and 618 requests timed out in a row.
 */
export function durationMs(name: string, value: unknown): number {
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
    if (m) {
      const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2]!]!);
      // Node runs a longer timer after 1 ms (TimeoutOverflowWarning): every attempt would time out at once.
      if (ms > MAX_TIMER_MS) throw new ConfigError(`${name} expects a duration of at most ${MAX_DURATION_MINUTES}m (about 24.8 days, the longest timer Node.js can set), got ${show(value)}`);
      return ms;
    }
  }
  throw new ConfigError(`${name} expects a duration, ${DURATION_SHAPE}, got ${show(value)}`);
}

/**
 * A duration no shorter than `minMs`: below it the setting can only hurt (`why`
 * says how), so it is refused at start, like any other bad flag.
 */
export function durationAtLeast(minMs: number, why: string): (name: string, value: unknown) => number {
  return (name, value) => {
    const ms = durationMs(name, value);
    if (ms < minMs) {
      const least = minMs === 1 ? 'above 0' : `of at least ${minMs % 1000 === 0 ? `${minMs / 1000}s` : `${minMs}ms`}`;
      throw new ConfigError(`${name} expects a duration ${least} (${why}), got ${show(value)}`);
    }
    return ms;
  };
}

/** 2^31 − 1 ms: the longest delay Node.js's timers take; a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The largest whole number of minutes within it (35791m, about 596h). */
const MAX_DURATION_MINUTES = Math.floor(MAX_TIMER_MS / 60_000);

function fraction(name: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new ConfigError(`${name} expects a number above 0 and at most 1, got ${show(value)}${percentAsFraction(value)}`);
  }
  return n;
}

/** A share written as a percentage ('50%', as a dashboard shows it): the fraction it means, said beside the refusal. */
function percentAsFraction(value: unknown): string {
  const percent = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
  if (percent === null) return '';
  const share = Number(percent[1]) / 100;
  return share > 0 && share <= 1 ? `: a share is written as a fraction, ${String(share)} for ${percent[1]}%` : '';
}

/**
 * --max-error-rate: a fraction, as fraction() takes it. 0 is refused as before (no share of failed rows is under it),
 * and the line names what an operator giving it wants: a run that stops at its first failed row, --max-errors 0.
 */
export function errorRate(name: string, value: unknown): number {
  try {
    return fraction(name, value);
  } catch (error) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (n !== 0) throw error;
    const instead = name.startsWith('job file ') ? '"maxErrors": 0' : '--max-errors 0';
    throw new ConfigError(`${(error as Error).message}; to stop at the first failed row, give ${instead}`);
  }
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} expects one of ${allowed.join(', ')}, got ${show(value)}${didYouMeanValue(value, allowed)}`);
}

export function nonEmptyString(name: string, value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new ConfigError(`${name} expects a non-empty string, got ${show(value)}`);
}

/**
 * Text columns/fields: one name, or several (a repeated flag, a job file's array)
 * to be joined. Each must be non-empty and named once.
 */
export function textNames(name: string, value: unknown): string[] {
  const names = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n): n is string => typeof n === 'string' && n.length > 0)) {
    throw new ConfigError(`${name} expects a name or a list of names, got ${show(value)}`);
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new ConfigError(`${name} names '${repeated}' twice; name each column or field once`);
  return names;
}

export function booleanValue(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} expects true or false, got ${show(value)}`);
}

/**
 * Delimiters written by name, as a spreadsheet's import dialog and Miller's --ifs name them: `--delimiter semicolon` was
 * "expects a single character", and the `;` then typed bare ends the shell's command. `tab` (in any case) is read as the tab.
 */
const NAMED_DELIMITERS: ReadonlyMap<string, string> = new Map([['comma', ','], ['semicolon', ';'], ['pipe', '|'], ['colon', ':'], ['space', ' ']]);
const SHELL_NOTE: Readonly<Record<string, string>> = { ';': ' (quoted: a bare ; ends a shell command)', '|': ' (quoted: a bare | pipes)' };

/** A CSV delimiter: one character; `\t` and `tab` spell the tab. */
export function delimiter(name: string, value: unknown): string {
  if (value === '\\t' || (typeof value === 'string' && value.toLowerCase() === 'tab')) return '\t';
  const named = typeof value === 'string' ? NAMED_DELIMITERS.get(value.toLowerCase()) : undefined;
  if (named !== undefined) {
    const written = name.startsWith('--') ? `${name} '${named}'${SHELL_NOTE[named] ?? ''}` : JSON.stringify(named);
    throw new ConfigError(`${name} takes the character itself, not its name: ${written}`);
  }
  if (value === '"' || value === '\n' || value === '\r') {
    // One character, but CSV's own: the quote and the line endings cannot separate cells.
    throw new ConfigError(`${name} cannot be ${JSON.stringify(value)} (CSV uses it for quoting or line endings); give another character such as , ; | or tab`);
  }
  if (value === 't' && name.startsWith('--')) {
    // `--delimiter \t` typed bare: the shell drops the backslash, and the file was split at every letter t.
    throw new ConfigError(`${name} 't' is the letter t: a shell passes an unquoted \\t as t (it drops the backslash); for a tab write ${name} tab (or '\\t', quoted)`);
  }
  if (typeof value === 'string' && /^[A-Za-z0-9]$/.test(value)) {
    // No export separates its cells by a letter or a digit: such a delimiter is a typo, and splits every text.
    const [kind, what] = /\d/.test(value) ? ['a digit', 'numbers'] : ['a letter', 'words'];
    throw new ConfigError(`${name} '${value}' is ${kind}, which would split the export's ${what} into cells; give the character between its cells, such as , ; | or tab`);
  }
  // One character as a person counts it: an emoji or a CJK extension character is two UTF-16 units, and the readers
  // take a delimiter of several bytes (csv-bytes.ts).
  if (typeof value === 'string' && [...value].length === 1) return value;
  throw new ConfigError(`${name} expects a single character such as , ; or tab, got ${typeof value === 'string' && /[\u0000-\u001f]/.test(value) ? JSON.stringify(value) : show(value)}`);
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value) ?? String(value);
}
