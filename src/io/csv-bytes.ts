import type { CsvEscape, CsvQuote } from './csv-dialect.js';

const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;
const BACKSLASH = 0x5c;

const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
/** After a backslash inside a quoted value, with --escape backslash: the next byte is plain data. */
const ESCAPED = 4;
/** With --quote none, after a backslash: the next byte is data, a line ending too (unquoted-cells.ts). */
const ESCAPED_PLAIN = 5;
/** With --quote none, after a backslash and a CR: an LF next is the same escaped line break (CRLF). */
const ESCAPED_CR = 6;

/**
 * Reads CSV/TSV bytes by the reader's dialect (csv-dialect.ts), without building strings: a value is
 * quoted only when it starts with a quote, and `""` inside it is one quote; a quote anywhere else is
 * data; a delimiter (one or several UTF-8 bytes: a fullwidth '；' is three, and may be split between
 * chunks) or a line ending (CR or LF) outside quotes ends a value. What a line ending means (a CRLF is
 * one) is the caller's: the record-end scanner stops there, the quote check goes on.
 * With `escape` 'backslash' (csv-dialect.ts csvDialect), inside a quoted value a backslash makes the next byte
 * data, and `""` is no quote: the first `"` closes the value and the rest of the cell is data, as csv-parse reads it.
 * With `quote` 'none' no value is quoted: a quote is data, and a backslash anywhere makes the next byte data (a CRLF
 * after it is one escaped line break), as the reader joins and splits such records (csv-reader.ts, unquoted-cells.ts);
 * only an LF ends a record (found is its index), a CR alone being data.
 */
export class CsvByteReader {
  private state = START;
  private readonly delimiter: Buffer;
  /** Bytes of the delimiter seen so far outside quotes. */
  private matched = 0;
  /** Delimiters read outside quotes so far: the values ended. */
  fieldEnds = 0;
  /** The line the next byte is on, as the reader numbers lines (inside quotes too; a CRLF is one break). */
  line = 1;
  private afterCr = false;
  private readonly backslash: boolean;
  private readonly unquoted: boolean;

  constructor(delimiter: string, escape: CsvEscape = 'quote', quote: CsvQuote = '"') {
    this.delimiter = Buffer.from(delimiter, 'utf8');
    this.backslash = escape === 'backslash';
    this.unquoted = quote === 'none';
  }

  /** Inside a quoted value (its closing quote not seen yet). */
  get inQuotes(): boolean {
    return this.state === QUOTED || this.state === ESCAPED;
  }

  /** With --quote none, just after a backslash (and a CR after it): where the input ends, that backslash escapes nothing. */
  get escapePending(): boolean {
    return this.state === ESCAPED_PLAIN || this.state === ESCAPED_CR;
  }

  /**
   * Reads `chunk` from `from` up to the first CR or LF outside quotes and returns its index (the next value
   * starts after it), or -1 when the chunk ends first. One loop with its state in locals: it runs once per
   * byte of the input, before a paid run's first request.
   */
  scan(chunk: Buffer, from: number): number {
    const delimiter = this.delimiter;
    const first = delimiter[0];
    const backslash = this.backslash;
    const unquoted = this.unquoted;
    let state = this.state;
    let matched = this.matched;
    let fieldEnds = this.fieldEnds;
    let line = this.line;
    let afterCr = this.afterCr;
    let found = -1;
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte === CR || (byte === LF && !afterCr)) line++;
      afterCr = byte === CR;
      if (matched > 0) {
        // Within a delimiter of several bytes: its next byte, or another character that starts alike (data).
        if (byte === delimiter[matched]) {
          matched++;
          if (matched === delimiter.length) {
            matched = 0;
            state = START;
            fieldEnds++;
          }
          continue;
        }
        matched = 0;
        state = UNQUOTED;
      }
      if (state === QUOTED) {
        if (byte === QUOTE) state = QUOTE_IN_QUOTED;
        else if (backslash && byte === BACKSLASH) state = ESCAPED;
        continue;
      }
      if (state === ESCAPED) {
        state = QUOTED;
        continue;
      }
      if (state === ESCAPED_PLAIN) {
        state = byte === CR ? ESCAPED_CR : UNQUOTED;
        continue;
      }
      if (state === ESCAPED_CR) {
        state = UNQUOTED;
        if (byte === LF) continue;
      }
      if (unquoted) {
        if (byte === BACKSLASH) state = ESCAPED_PLAIN;
        else if (byte === first) {
          if (delimiter.length === 1) {
            state = START;
            fieldEnds++;
          } else {
            matched = 1;
          }
        } else if (byte === LF) {
          // Only an LF ends a record here (a CR before it goes with it): a CR alone is data (csv-dialect.ts).
          state = START;
          found = i;
          break;
        } else state = UNQUOTED;
        continue;
      }
      if (byte === QUOTE) {
        // Opens a value at its start; `""` inside a quoted value is one quote (not with backslash escapes); elsewhere it is data.
        state = state === START || (state === QUOTE_IN_QUOTED && !backslash) ? QUOTED : UNQUOTED;
      } else if (byte === first) {
        if (delimiter.length === 1) {
          state = START;
          fieldEnds++;
        } else {
          matched = 1;
        }
      } else if (byte === LF || byte === CR) {
        state = START;
        found = i;
        break;
      } else {
        state = UNQUOTED;
      }
    }
    this.state = state;
    this.matched = matched;
    this.fieldEnds = fieldEnds;
    this.line = line;
    this.afterCr = afterCr;
    return found;
  }
}
