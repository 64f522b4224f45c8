import type { RowFailure } from '../errors.js';
import { splitLineEnding, type CsvEscape } from './csv-dialect.js';
import { quoteNoneAdvice } from './unquoted-look.js';

/** Per-row failure code of a record that a stray quote made of several lines (strayQuoteLines). */
export const STRAY_QUOTE = 'stray_quote';

/**
 * A record whose quoted cell ran across a line break and closed mid-text: the line breaks that cell spans, else
 * undefined. Read as RFC 4180 (and Python's csv) reads it, a quote that opens a cell in an export written without
 * quoting (`1<TAB>"Best purchase ever`) runs on into the next rows, to the next quote: those rows are one record.
 * A cell quoted properly closes just before a delimiter or the line's end, so text after its closing quote, with a
 * line break inside, is the sign. (An undoubled quote inside a multi-line quoted review looks the same: both are
 * failed, not scored, and the message says how to write either.) Every cell of the record is looked at. With `escape`
 * 'backslash', a quote after a backslash is data and `""` closes the cell, as the parser reads them (csv-dialect.ts).
 */
export function strayQuoteLines(raw: string, delimiter: string, escape: CsvEscape = 'quote'): number | undefined {
  const backslash = escape === 'backslash';
  const { body } = splitLineEnding(raw);
  // Most records are one line: nothing to walk.
  if (!/[\r\n]/.test(body)) return undefined;
  let i = 0;
  while (i < body.length) {
    if (body[i] !== '"') {
      const next = body.indexOf(delimiter, i);
      if (next === -1) return undefined;
      i = next + delimiter.length;
      continue;
    }
    let j = i + 1;
    let breaks = 0;
    for (;;) {
      if (j >= body.length) return undefined;
      const c = body[j];
      if (backslash && c === '\\' && j + 1 < body.length) {
        // The next character is data, a line break too (counted: the cell spans it).
        if (body[j + 1] === '\n' || (body[j + 1] === '\r' && body[j + 2] !== '\n')) breaks++;
        j += 2;
        continue;
      }
      if (c === '"') {
        if (!backslash && body[j + 1] === '"') {
          j += 2;
          continue;
        }
        break;
      }
      if (c === '\n' || (c === '\r' && body[j + 1] !== '\n')) breaks++;
      j++;
    }
    const after = j + 1;
    if (after === body.length) return undefined;
    if (body.startsWith(delimiter, after)) {
      i = after + delimiter.length;
      continue;
    }
    const next = body.indexOf(delimiter, after);
    const rest = body.slice(after, next === -1 ? body.length : next);
    // Only padding after the closing quote (`"Great<LF>place" ,5`, a form input-formats.md names) closes a cell that
    // was quoted on purpose: one record, as Python's csv reads it too. A merge of rows leaves a row's text there.
    // A quote escaped by a backslash (`\"`) is no closing quote of the writer's: MySQL's INTO OUTFILE ... ENCLOSED BY '"'
    // (its ESCAPED BY '\\' by default), pandas and Python's csv with an escapechar write a review's quote so, inside a
    // cell they quoted across its line breaks. csv-parse takes it for the close and reads the rest as data, one record.
    if (breaks > 0 && !isPadding(rest, delimiter) && !escapedByBackslash(body, j)) return breaks;
    // Text after the closing quote, on one line: the rest of the cell is data up to the next delimiter (a quote in it
    // too), as csv-parse reads it; the cells after it are walked as any others.
    if (next === -1) return undefined;
    i = next + delimiter.length;
  }
  return undefined;
}

/** The quote at `at` follows an odd run of backslashes: escaped (`\"`, not `\\"`, an escaped backslash before it). */
function escapedByBackslash(body: string, at: number): boolean {
  let backslashes = 0;
  while (body[at - 1 - backslashes] === '\\') backslashes++;
  return backslashes % 2 === 1;
}

/** Spaces, and tabs where the tab is not the delimiter: what a writer pads a cell with. */
function isPadding(text: string, delimiter: string): boolean {
  return (delimiter === '\t' ? /^ *$/ : /^[ \t]*$/).test(text);
}

/** Where the reader found such a record: the lines it spans, first and last, and the line breaks its cell spans. */
export interface StrayQuote {
  line: number;
  lastLine: number;
  lines: number;
}

/** How the reading that found a stray quote was set, for its advice: the escape, and whether the file's first rows quote no cell (unquoted-look.ts). */
export interface StrayQuoteReading {
  escape?: CsvEscape;
  looksUnquoted?: boolean;
}

/** How to write a quote inside a quoted cell, in the reading's escape (no quote character in it: see strayQuoteFailure). */
function quoteInside(escape: CsvEscape | undefined): string {
  return escape === 'backslash' ? 'write each quote inside after a backslash' : 'double each quote inside';
}

/** --quote none first, for an export whose first rows quote no cell. */
function unquotedAdvice(reading: StrayQuoteReading): string {
  return reading.looksUnquoted === true ? `${quoteNoneAdvice(reading.escape)}; else ` : '';
}

/**
 * The record's failure: not scored, as the reviews inside it would get no answer of their own (one answer for the
 * text of several rows). Its bytes are copied to the output as they were read, with this in the error cell. No quote
 * character in the message: the cell holding it reads back alike either way (partial-answers.ts and report read it).
 */
export function strayQuoteFailure(at: StrayQuote, reading: StrayQuoteReading = {}): RowFailure {
  return {
    code: STRAY_QUOTE,
    message:
      `lines ${at.line}-${at.lastLine} were read as one record: a quoted cell in it runs across ${at.lines} line break${at.lines === 1 ? '' : 's'} ` +
      `and closes with text after its closing quote (a stray quote?); not scored: ${unquotedAdvice(reading)}remove that quote, or quote the cell and ${quoteInside(reading.escape)}`,
  };
}

/** The run's one line about the first such record (source.ts says it once). */
export function strayQuoteWarning(at: StrayQuote, reading: StrayQuoteReading = {}): string {
  return (
    `line ${at.line}: a quoted cell opens in this record and closes ${at.lines} line${at.lines === 1 ? '' : 's'} later with text after its closing quote, ` +
    `so lines ${at.line}-${at.lastLine} were read as one record (a stray quote?), marked failed (${STRAY_QUOTE}), not scored; ` +
    `${unquotedAdvice(reading) === '' ? 'if' : `${quoteNoneAdvice(reading.escape)}; else, if`} they are separate reviews, remove that quote, or quote the cell and ${quoteInside(reading.escape)} (${reading.escape === 'backslash' ? '\\"' : '""'}). ` +
    'Later records like it are not named here: each is marked failed the same way, and counted in the summary'
  );
}
