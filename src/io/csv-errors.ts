import { CsvError } from 'csv-parse';
import { InputError, SentimentBatchError, errorMessage } from '../errors.js';
import type { CsvEscape } from './csv-dialect.js';
import { cutShort } from './cut-short.js';
import { quoteNoneAdvice } from './unquoted-look.js';
import { capitalized } from '../wording/capitalized.js';

/** Where a CSV problem is: the start of the record being parsed. */
export interface CsvLocation {
  /** Absolute offset (decompressed input) of the first byte of the record. */
  byte: number;
  /** 1-based line where the record starts, when known (not after a resume). */
  line?: number;
}

/**
 * Turns a csv-parse failure into an InputError that says where the bad record
 * starts and what to fix. csv-parse's own "at line N" is not used: it counts
 * from wherever the parser started (a resume offset) and counts a CRLF inside
 * a quoted field as two lines.
 */
export function csvInputError(error: unknown, where: CsvLocation, endsMidLine = false, escape: CsvEscape = 'quote', looksUnquoted = false): SentimentBatchError {
  if (error instanceof SentimentBatchError) return error;
  const place = placeOf(where);
  if (!(error instanceof CsvError)) {
    return new InputError(`cannot read the CSV input at ${place}: ${errorMessage(error)}`, { cause: error });
  }
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return quoteNotClosed(where, endsMidLine, escape, error, looksUnquoted);
    default:
      return new InputError(`cannot parse ${place} as CSV (${error.code}): ${error.message}`, { cause: error });
  }
}

/**
 * A quoted value still open at the end of the input: the reader's words, and the check before a paid run's (csv-end-check.ts).
 * `endsMidLine`: the input's last byte is no line ending. A stray quote in a complete export swallows the rest of it,
 * whose last line ends; an export cut inside a quoted review ends mid-line, and "close the quote" is no advice for that.
 * `looksUnquoted`: the file's first rows quote no cell (unquoted-look.ts): likely an export that never quotes (MySQL's
 * default INTO OUTFILE), whose quotes are text: the advice names --quote none (and --escape backslash) first.
 */
export function quoteNotClosed(where: CsvLocation, endsMidLine: boolean, escape: CsvEscape = 'quote', cause?: unknown, looksUnquoted = false): InputError {
  const opens = `unterminated quoted field: ${placeOf(where)} opens a quote (") that is never closed before the end of the input`;
  // With --escape backslash a doubled quote is no escape, and `\"` is: doubling the quotes mends nothing there. The
  // likelier cause is an RFC 4180 file (`"C:\dir\"`, whose closing quote a backslash escapes) given that flag.
  const or =
    escape === 'backslash'
      ? 'write every quote inside a quoted field after a backslash (\\"); a file that doubles them ("") reads without --escape backslash'
      : 'double every quote inside a quoted field ("")';
  const advice = quoteNoneAdvice(escape);
  const unquoted = looksUnquoted ? ` ${capitalized(advice)}.` : '';
  if (endsMidLine) return cutShort(`${opens}; the input ends inside that value, mid-line`, `.${unquoted} If the file is complete, close the quote, or ${or}`, { joiner: ': ', cause });
  return new InputError(`${opens}.${unquoted} ${unquoted === '' ? 'Close' : 'Else close'} the quote, or ${or}`, cause === undefined ? undefined : { cause });
}

function placeOf(where: CsvLocation): string {
  return `the record starting at ${where.line === undefined ? '' : `line ${where.line}, `}byte ${where.byte}`;
}
