import type { RowFailure } from '../errors.js';
import { lineEndingOf, splitLineEnding } from './csv-dialect.js';
import { textColumnIndex, type CsvHeader } from './csv-header.js';
import type { CsvRecordOptions } from './csv-record-options.js';
import { csvRecordCutShort, isCutCsvRecord, isWhiteSpace, loneBackslashCutShort } from './cut-short.js';
import { maxParsedRecordBytes, recordTooLarge, splitOversized } from './oversized-record.js';
import { quotedCellOfRow, quotedRowAdvice } from './quoted-cells-look.js';
import type { InputRecord } from './record.js';
import { shortRowAdvice } from './short-row.js';
import { strayQuoteLines } from './stray-quote.js';
import type { StrayQuotePlaces } from './stray-quote-place.js';
import { asNames, joinTextParts } from './text-parts.js';
import { unpairedEscape, unquotedCells, unquotedFieldCount } from './unquoted-cells.js';
import { withUnquotedEscapes } from './unquoted-escapes.js';
import { sharedWithRaw } from './shared-text.js';

/** Per-row failure code of a record whose field count differs from the header's. */
export const RAGGED_ROW = 'ragged_row';
/** Per-row failure code of a record that is the header again (files joined with `cat`, each with its header). */
export const REPEATED_HEADER = 'repeated_header';
const REPEATED_HEADER_FAILURE: RowFailure = { code: REPEATED_HEADER, message: 'the row repeats the header (files joined, such as cat a.csv b.csv?); not scored' };
/**
 * A file of one column: a row equal to its one name is the header of files joined, or a review of just that word, which
 * nothing in the row tells apart. Skipped as a repeated header (joined exports are the likelier), but said to be either.
 */
function oneColumnRepeat(name: string): RowFailure {
  return { code: REPEATED_HEADER, message: `the row is the one column's name '${name}' again: the header of files joined (cat a.csv b.csv?) or a review of just that word, which one column cannot tell apart; not scored` };
}

/** Where the reader stands: the next record's index, the byte it starts at, and its line (unknown when it started past the header). */
export interface CsvCursor {
  index: number;
  recordStart: number;
  line: number | undefined;
}

/** What a record is judged by, worked out once from the options and the header. */
export interface CsvRowRules {
  options: CsvRecordOptions;
  header: CsvHeader;
  width: number;
  /** --quote none. */
  unquoted: boolean;
  textIndexes: number[];
  repeatsHeader: (fields: readonly string[], raw: string) => boolean;
}

export function csvRowRulesOf(options: CsvRecordOptions): CsvRowRules {
  const { header } = options;
  const textIndexes = asNames(options.textColumn).map((name) => textColumnIndex(header, name));
  return { options, header, width: header.columns.length, unquoted: options.quote === 'none', textIndexes, repeatsHeader: headerRepeat(header) };
}

/** One record as csv-parse read it (`read`, its fields) with its bytes, starting at `startByte` / `startLine`. */
export interface ParsedRow {
  read: string[];
  bytes: Buffer;
  /** Absolute offset just past the record and its line ending. */
  end: number;
  startByte: number;
  startLine: number | undefined;
}

/**
 * The record handed on for one row read: scored text, a blank line passed through, or a per-row failure (too large, stray
 * quote, repeated header, ragged). Throws for a last record cut short. Takes the cursor's next index unless it is a blank line.
 */
export function csvRowRecord(rules: CsvRowRules, cursor: CsvCursor, row: ParsedRow, strays: StrayQuotePlaces): InputRecord {
  const { options, width, unquoted } = rules;
  const { read, bytes, end, startByte, startLine } = row;
  // Larger records are not parsed: one failed row each, copied as they are. The bound in force now (csv-reader.ts says why).
  if (bytes.length > maxParsedRecordBytes('csv')) {
    // Ended within the chunk that crossed the limit: parsed already, but failed like any record over it.
    const { head, tail } = splitOversized([bytes]);
    // With --quote none csv-parse's fields are the last line's only: the record's own are counted from its bytes.
    const fieldCount = unquoted ? unquotedFieldCount(bytes, options.delimiter) : read.length;
    return { index: cursor.index++, byteEnd: end, text: { ok: false, failure: recordTooLarge(bytes.length, 'csv') }, raw: tail, rawHead: head, fieldCount };
  }
  const raw = bytes.toString('utf8');
  // With --escape backslash, an unquoted cell's backslashes are read as a quoted cell's are (unquoted-escapes.ts).
  const fields = unquoted ? unquotedCells(splitLineEnding(raw).body, options.delimiter) : options.escape === 'backslash' ? withUnquotedEscapes(read, raw, options.delimiter) : read;
  const ending = lineEndingOf(raw);
  if (fields.length === 1 && fields[0] === '' && raw === ending) {
    return { index: cursor.index, byteEnd: end, text: { ok: true, value: '' }, raw, passThrough: true };
  }
  const aligned = fields.length === width;
  const repeated = rules.repeatsHeader(fields, raw);
  // Only the last record can lack a line ending; short as well, it was cut, not written so.
  // With --quote none, one whose last backslash escapes nothing (before the end, or a last CR) was cut after that backslash.
  if (unquoted && (ending === undefined || ending === '\r') && unpairedEscape(splitLineEnding(raw).body) !== '') throw loneBackslashCutShort({ byte: startByte, line: startLine });
  if (!repeated && ending === undefined && isCutCsvRecord(fields.length, width, isWhiteSpace(raw))) throw csvRecordCutShort({ byte: startByte, line: startLine }, fields.length, width);
  const strayLines = options.strayQuotes !== undefined && !unquoted ? strayQuoteLines(raw, options.delimiter, options.escape) : undefined;
  if (strayLines !== undefined) {
    // Several rows read as one: no text of its own to score, whatever its field count (ragged or not).
    const record: InputRecord = { index: cursor.index++, byteEnd: end, text: { ok: false, failure: { code: '', message: '' } }, raw, ...(options.keepFields === true ? { fields } : {}) };
    if (startLine === undefined) strays.hold(record, startByte, bytes, strayLines);
    else record.text = { ok: false, failure: strays.failure(startLine, bytes, strayLines) };
    return record;
  }
  if (aligned && !repeated) options.onFields?.(fields);
  // A BOM opening the line is a joined file's, never a review's.
  const ambiguous = repeated && width === 1 && !raw.startsWith('\uFEFF');
  const blank = !repeated && isBlankRow(fields, raw, width, options.delimiter);
  const text: InputRecord['text'] = repeated
    ? { ok: false, failure: ambiguous ? oneColumnRepeat(rules.header.columns[0]!) : REPEATED_HEADER_FAILURE }
    : aligned
      ? { ok: true, value: sharedWithRaw(joinTextParts(rules.textIndexes.map((i) => fields[i]!)), raw) }
      : blank
        ? { ok: true, value: '' }
        : { ok: false, failure: shortRowAdvice(unquoted ? unquotedRaggedRow(width, fields.length, raw, options.delimiter) : raggedRow(width, fields.length, fields), rules.header.columns, fields.length, rules.textIndexes, options.delimiter, raw) };
  // A short blank row's field count: the writer pads it with empty cells, as a ragged row's, so the new ones line up.
  const blankRow = blank ? { blankRow: true as const, ...(aligned ? {} : { fieldCount: fields.length }) } : {};
  return { index: cursor.index++, byteEnd: end, text, raw, ...(options.keepFields === true ? { fields } : {}), ...blankRow };
}

/**
 * A row whose every field is empty (`,,,,`): a spreadsheet's rows kept after its last review (cleared or formatted, not
 * deleted). Also one of fewer fields that is its delimiters alone (`,,` under 4 columns): Excel leaves out the
 * delimiters of the empty cells that end a row in parts of a sheet, a blank row's among them, and such a row holds no
 * cell to misplace. Not one of more fields than the header (no spreadsheet writes those), nor a row of one column,
 * whose empty cell is an empty text and nothing more.
 */
function isBlankRow(fields: readonly string[], raw: string, width: number, delimiter: string): boolean {
  if (width === 1 || fields.length > width || !fields.every((field) => field === '')) return false;
  return fields.length === width || splitLineEnding(raw).body === delimiter.repeat(fields.length - 1);
}

/**
 * The check of a record for the header's names in its cells: a second file's header when exports are joined (`cat a.csv b.csv`),
 * its byte-order mark included when each file has one. Never a review: scored, it would be one answer about the word
 * 'text'. A header of empty names only is no name to repeat. A BOM before a quoted name (`\uFEFF"id","text"`, an
 * export that quotes every cell) is no quote at the cell's start, so the cell keeps its quotes ('\uFEFF"id"') and,
 * if the name holds the delimiter, splits: the header's own bytes again count as well.
 */
function headerRepeat(header: CsvHeader): (fields: readonly string[], raw: string) => boolean {
  const { columns } = header;
  // What depends on the header alone is worked out once, not for every record.
  if (columns.every((column) => column === '')) return () => false;
  const headerBody = splitLineEnding(header.raw).body;
  return (fields, raw) => {
    if (raw.startsWith('\uFEFF') && splitLineEnding(raw.slice(1)).body === headerBody) return true;
    if (fields.length !== columns.length) return false;
    return fields.every((field, i) => (i === 0 ? withoutBom(field) : field) === columns[i]);
  };
}

/** A first cell without the BOM that opened its line, and without the quotes that BOM kept in it. */
function withoutBom(field: string): string {
  if (!field.startsWith('\uFEFF')) return field;
  const cell = field.slice(1);
  return /^"(?:[^"]|"")*"$/.test(cell) ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

/** psql's row count under its output (`(2 rows)`, `(1 row)`), which `psql -A -c … > x.csv` writes after the records. */
const PSQL_FOOTER = /^\(\d[\d,]* rows?\)$/;

function raggedRow(expected: number, got: number, fields?: readonly string[]): RowFailure {
  const message = `expected ${expected} fields, got ${got}`;
  // It was 'expected 2 fields, got 1' alone, with no word of what that line is nor how the export leaves it out.
  if (fields?.length === 1 && PSQL_FOOTER.test(fields[0]!)) {
    return { code: RAGGED_ROW, message: `${message}: '${fields[0]!}' is psql's row count, no record; export with psql --csv, or -P footer=off, to leave it out` };
  }
  return { code: RAGGED_ROW, message };
}

/** Under --quote none, a ragged row that reads whole with quotes says so (quoted-cells-look.ts). */
function unquotedRaggedRow(expected: number, got: number, raw: string, delimiter: string): RowFailure {
  const failure = raggedRow(expected, got);
  if (quotedCellOfRow(splitLineEnding(raw).body, delimiter, expected) === undefined) return failure;
  return { ...failure, message: failure.message + quotedRowAdvice(expected) };
}
