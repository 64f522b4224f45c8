import { parse } from 'csv-parse/sync';
import type { RowFailure } from '../errors.js';
import { csvDialect, splitLineEnding, type CsvEscape, type CsvQuote } from './csv-dialect.js';
import type { CsvHeader } from './csv-header.js';
import { scoreCell, type DecimalMark } from './decimal-mark.js';
import { OUTPUT_COLUMN_SUFFIXES } from './output-columns.js';
import type { InputRecord, Outcome } from './record.js';
import { escapeUnquotedCell, unpairedEscape, unquotedCells } from './unquoted-cells.js';

export { OUTPUT_COLUMN_SUFFIXES };

/** Options of {@link formatCsvRecord}. */
export interface CsvFormatOptions {
  /** The input's field delimiter. */
  delimiter: string;
  /** The input's escape (--escape): the new cells are quoted the way its own are, so the output reads back alike. */
  escape?: CsvEscape;
  /** The input's quote (--quote): with none, the new cells are never quoted, only escaped (unquoted-cells.ts). */
  quote?: CsvQuote;
  /** Prefix of the new columns, e.g. `sentiment` gives `sentiment_label`, ... */
  prefix: string;
  /** Number of columns in the header (`header.columns.length`): short rows are padded to it. */
  headerWidth: number;
  /** --decimal: the mark of the score cells (decimal-mark.ts); default point. The input's own cells are never touched. */
  decimal?: DecimalMark;
}

/**
 * The output header: the input's header text (BOM restored when the input had one)
 * with `<prefix>_label,<prefix>_positive,<prefix>_negative,<prefix>_truncated,<prefix>_error`
 * inserted before its line ending.
 */
export function csvOutputHeader(header: CsvHeader, delimiter: string, prefix: string, escape: CsvEscape = 'quote', quote: CsvQuote = '"'): string {
  const { body, ending } = splitLineEnding(header.raw);
  const names = OUTPUT_COLUMN_SUFFIXES.map((suffix) => quoteCsvCell(`${prefix}_${suffix}`, delimiter, escape, quote));
  return `${header.bom ? '\uFEFF' : ''}${body}${delimiter}${names.join(delimiter)}${ending}`;
}

/**
 * One output record: the record's original text, byte for byte, with the new cells
 * inserted before its own line ending (a last record without one stays without).
 * A ragged short row is first padded with empty cells so the new ones line up.
 * A pass-through record (blank line) is returned unchanged.
 *
 * Written by hand, not with csv-stringify (the project's CSV writer, used by bench/ and the tests): csv-stringify
 * writes a record from its parsed cells, quoted its own way, where this keeps the input's bytes as they are (a cell
 * quoted without need, its spacing, the line ending) and only adds the new cells; and for those, it has no way to
 * escape without quoting (--quote none: unquoted-cells.ts).
 */
export function formatCsvRecord(record: InputRecord, outcome: Outcome, options: CsvFormatOptions): string {
  return csvRecordFormatter(options)(record, outcome);
}

/**
 * formatCsvRecord with what depends only on the options (the job's) settled once, not per row: the job's formatter
 * (source.ts). Whether the delimiter can stand among a scored row's cells was a regular expression run on every row.
 */
export function csvRecordFormatter(options: CsvFormatOptions): (record: InputRecord, outcome: Outcome) => string {
  const { delimiter, escape = 'quote', quote = '"', decimal = 'point', headerWidth } = options;
  // A decimal comma with the ',' delimiter is refused before a run (config/resolve.ts); were it not, the cells are quoted.
  const plain = !IN_SCORED_CELLS.test(delimiter) && !(decimal === 'comma' && delimiter === ',');
  return (record, outcome) => {
    if (record.passThrough === true) return record.raw;
    const { body, ending } = splitLineEnding(record.raw);
    const fields = record.fieldCount ?? (record.text.ok ? headerWidth : fieldCount(body, delimiter, escape, quote));
    const missing = Math.max(0, headerWidth - fields);
    // With --quote none, a last record ending in a backslash that escapes nothing (the reader stops on one: cut short):
    // doubled all the same, not escaping the delimiter.
    const closed = quote === 'none' ? unpairedEscape(body) : '';
    if (outcome.kind === 'scored' && (outcome.label === 'POSITIVE' || outcome.label === 'NEGATIVE') && plain) {
      // The cells outcomeCells gives, none of which quoteCsvCell would quote: written without looking at each one.
      const cells = `${outcome.label}${delimiter}${scoreCell(outcome.positive, decimal)}${delimiter}${scoreCell(outcome.negative, decimal)}${delimiter}${outcome.truncated === true ? 'true' : ''}${delimiter}`;
      return `${body}${closed}${delimiter.repeat(missing)}${delimiter}${cells}${ending}`;
    }
    const cells = outcomeCells(outcome, decimal).map((cell) => quoteCsvCell(cell, delimiter, escape, quote));
    return `${body}${closed}${delimiter.repeat(missing)}${delimiter}${cells.join(delimiter)}${ending}`;
  };
}

/**
 * What a scored row's cells are made of: a label's and 'true''s letters, a number's digits, point, sign and exponent
 * (String gives 'NaN' and 'Infinity' too). A delimiter among them has the cells quoted (escaped, under --quote none);
 * any other never does (they hold no quote, backslash, tab, NUL, CR or LF).
 */
const IN_SCORED_CELLS = /^[A-Za-z0-9.+-]$/;

/** The five new cells of an outcome, unquoted; the scores with `decimal`'s mark. */
export function outcomeCells(outcome: Outcome, decimal: DecimalMark = 'point'): [string, string, string, string, string] {
  if (outcome.kind === 'scored') {
    // String(n) is the shortest text that parses back to the same double (scoreCell).
    return [outcome.label, scoreCell(outcome.positive, decimal), scoreCell(outcome.negative, decimal), outcome.truncated === true ? 'true' : '', ''];
  }
  return ['', '', '', '', failureCell(outcome.failure)];
}

function failureCell(failure: RowFailure): string {
  return `${failure.code}: ${failure.message}`;
}

/**
 * Quotes a cell when it holds the delimiter, a quote, CR or LF (RFC 4180), its quotes doubled. With backslash
 * escapes, as the input's own cells are: a backslash too, and each quote and backslash after a backslash (`\"`, `\\`).
 * With --quote none never quoted: escaped as the input's cells are (unquoted-cells.ts), so it reads back alike.
 */
export function quoteCsvCell(value: string, delimiter: string, escape: CsvEscape = 'quote', quote: CsvQuote = '"'): string {
  if (quote === 'none') return escapeUnquotedCell(value, delimiter);
  if (escape === 'backslash') {
    const needsQuotes = value.includes(delimiter) || /["\\\r\n]/.test(value);
    return needsQuotes ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : value;
  }
  const needsQuotes = value.includes(delimiter) || /["\r\n]/.test(value);
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Field count of one record's text (only needed for the rare ragged row). */
function fieldCount(body: string, delimiter: string, escape: CsvEscape, quote: CsvQuote): number {
  if (quote === 'none') return unquotedCells(body, delimiter).length;
  const records = parse(body, { ...csvDialect(escape), delimiter, bom: false, relax_column_count: true }) as string[][];
  return records[0]?.length ?? 1;
}
