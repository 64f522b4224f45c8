import type { Options } from 'csv-parse';

export type LineEnding = '\r\n' | '\n' | '\r';

/**
 * How every CSV/TSV record is split, the header's included, read as Python's
 * `csv` module, pandas and Excel read real exports:
 * - any line ending ends a record, whatever the others in the file are: CRLF,
 *   LF or CR alone (Excel for Mac), so a CRLF header followed by LF rows (an
 *   edited export) reads record for record. CRLF comes first, so it is one ending.
 * - a quote inside an unquoted value (`5" screen`, `37°36'37.8"N`) is data. A
 *   value that starts with a quote is still a quoted value (RFC 4180).
 */
const CSV_DIALECT: Readonly<Pick<Options, 'record_delimiter' | 'relax_quotes'>> = {
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_quotes: true,
};

/** How a quote is written inside a quoted cell: doubled (`""`, RFC 4180) or after a backslash (`\"`). */
export const CSV_ESCAPES = ['quote', 'backslash'] as const;
export type CsvEscape = (typeof CSV_ESCAPES)[number];

/**
 * The character that quotes a cell (--quote): `"`, or none, for exports that never quote a cell and escape with a
 * backslash instead (MySQL's default INTO OUTFILE, Python's csv QUOTE_NONE: unquoted-cells.ts).
 */
export const CSV_QUOTES = ['"', 'none'] as const;
export type CsvQuote = (typeof CSV_QUOTES)[number];

/**
 * CSV_DIALECT for the input's escape (--escape, docs/input-formats.md#backslash-escaped-quotes). `backslash` reads
 * what MySQL's INTO OUTFILE ... ENCLOSED BY '"' and pandas' or Python's csv with escapechar='\\' (doublequote off)
 * write: inside a quoted cell a backslash makes the next character plain (`\"` a quote, `\\` a backslash, a
 * backslash before a line break that line break), and is itself dropped (in an unquoted cell: unquoted-escapes.ts). Not the default: in an RFC 4180 file
 * `"C:\dir\"` is a whole cell ending in a backslash, which backslash escapes would read as a quote left open.
 */
export function csvDialect(escape: CsvEscape = 'quote', quote: CsvQuote = '"'): Readonly<Pick<Options, 'record_delimiter' | 'relax_quotes' | 'escape' | 'quote'>> {
  // With --quote none csv-parse splits lines at every LF or CRLF and cells at every delimiter: the reader joins a line
  // ending after a backslash and splits the cells itself (unquoted-cells.ts), as csv-parse escapes in quotes only. A CR
  // alone is data there: MySQL (LINES TERMINATED BY '\n') writes a review's CRLF as a CR, then a backslash and the LF.
  if (quote === 'none') return { ...CSV_DIALECT, record_delimiter: ['\r\n', '\n'], quote: null };
  return { ...CSV_DIALECT, escape: escape === 'backslash' ? '\\' : '"' };
}

/** The record's own line ending (CRLF, LF or CR), or undefined for a last record without one. */
export function lineEndingOf(raw: string): LineEnding | undefined {
  if (raw.endsWith('\r\n')) return '\r\n';
  if (raw.endsWith('\n')) return '\n';
  if (raw.endsWith('\r')) return '\r';
  return undefined;
}

/** A record's text without its line ending, and the ending ('' when it has none). */
export function splitLineEnding(raw: string): { body: string; ending: LineEnding | '' } {
  const ending = lineEndingOf(raw) ?? '';
  return { body: raw.slice(0, raw.length - ending.length), ending };
}

/** Line breaks in a record's bytes, a CRLF counting once (for line numbers in messages). */
export function countLineBreaks(bytes: Buffer): number {
  // indexOf (memchr) over the bytes, not a loop over each of them: every record of a CSV read from its start is counted.
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  // A CR counts alone, not before an LF (the CRLF's LF counted above).
  for (let at = bytes.indexOf(0x0d); at !== -1; at = bytes.indexOf(0x0d, at + 1)) if (bytes[at + 1] !== 0x0a) count++;
  return count;
}
