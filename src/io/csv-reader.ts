import { pipeline, type Readable } from 'node:stream';
import type { Parser } from 'csv-parse';
import type { RowFailure } from '../errors.js';
import { BackslashContinuations } from './backslash-continuation.js';
import { ByteWindow } from './byte-window.js';
import { countLineBreaks, csvDialect, lineEndingOf, splitLineEnding, type CsvEscape, type CsvQuote } from './csv-dialect.js';
import { csvInputError, quoteNotClosed } from './csv-errors.js';
import { textColumnIndex, type CsvHeader } from './csv-header.js';
import { csvRecordCutShort, escapedLineBreakCutShort, isCutCsvRecord, isWhiteSpace, loneBackslashCutShort } from './cut-short.js';
import { CR, LF } from './csv-bytes.js';
import { EscapedLineBreaks } from './escaped-line-breaks.js';
import { hasDoubledQuote } from './doubled-quotes.js';
import { CsvRecordEndScanner, MAX_RECORD_BYTES, recordTooLarge, splitOversized } from './oversized-record.js';
import type { InputRecord } from './record.js';
import { RecordEndParser } from './record-end-parser.js';
import { asNames, joinTextParts } from './text-parts.js';
import { Utf8Check } from './utf8-check.js';
import { withUnquotedEscapes } from './unquoted-escapes.js';
import { strayQuoteFailure, strayQuoteLines, type StrayQuote } from './stray-quote.js';
import { unpairedEscape, unquotedCells, unquotedFieldCount } from './unquoted-cells.js';
import { quotedCellOfRow, quotedRowAdvice } from './quoted-cells-look.js';
import { UnquotedLineJoin } from './unquoted-line-join.js';

export { readCsvHeader, splitCsvHeader, textColumnIndex, type CsvHeader, type CsvHeaderOptions, type LineEnding } from './csv-header.js';

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

/** Options of {@link readCsvRecords}. */
export interface CsvRecordOptions {
  /** Field delimiter, one character; the same one the header was read with. */
  delimiter: string;
  /** How a quote is written inside a quoted cell (--escape; default quote, RFC 4180); the header was read with the same. */
  escape?: CsvEscape;
  /** --quote none: no cell is quoted, a backslash escapes (unquoted-cells.ts); needs escape 'backslash'. Default `"`. */
  quote?: CsvQuote;
  /** The file's first rows quote no cell (unquoted-look.ts): a stray or open quote's advice names --quote none. */
  looksUnquoted?: boolean;
  header: CsvHeader;
  /** Name of the column holding the text to score; several are joined (text-parts.ts). */
  textColumn: string | readonly string[];
  /**
   * Absolute offset (decompressed input) of the stream's first byte: `header.byteEnd`
   * for a fresh run, a record's `byteEnd` when resuming. Must be a record boundary.
   */
  startOffset: number;
  /** Index of the first data record in the stream (0 for a fresh run). */
  startIndex: number;
  /** Also hand over every field of each record (the report reads several columns). */
  keepFields?: boolean;
  /** Shown the fields of each record that has the header's width (a look at other columns, without keeping them). */
  onFields?: (fields: readonly string[]) => void;
  /**
   * Fail each record whose quoted cell ran across a line break and closed mid-text (stray-quote.ts): `stray_quote`,
   * its message naming the lines it spans. `lineAt` gives the line of a byte when the reader does not know it (it
   * started past the header); `onFound` is told of each such record.
   */
  strayQuotes?: { lineAt: (byte: number) => Promise<number>; onFound?: (at: StrayQuote) => void };
  /** Told of each row a backslash-escaped export split in records read as one (backslash-continuation.ts); default escape only. */
  onBackslashRow?: (record: InputRecord) => void;
  /** Told of each record with a quote doubled in a quoted cell (doubled-quotes.ts); --escape backslash only. */
  onDoubledQuote?: (record: InputRecord) => void;
}

/** A record as csv-parse hands it over, before its bytes are attached. */
interface ParsedRecord {
  fields: string[];
  /** Absolute offset just past the record and its line ending. */
  end: number;
  /** With --quote none, a line whose line break a backslash escapes: its bytes go with the next line's (unquoted-line-join.ts). */
  held?: boolean;
}

/**
 * Streams the data records of a CSV/TSV input. `stream` carries the decompressed
 * bytes from `startOffset` on (openInput with the same offset, or splitCsvHeader's rest).
 *
 * Each record's `byteEnd` is csv-parse's per-record `info.bytes` plus `startOffset`;
 * its `raw` is exactly the input bytes between the previous record's end and its own,
 * so header.raw + every raw reproduces the input. Any line ending ends a record
 * (csv-dialect.ts csvDialect), so a file mixing them reads record for record. A blank line is passed
 * through (`passThrough`, same index as the next record); a row with the wrong number of
 * fields is a `ragged_row` failure. Invalid UTF-8 and an unclosed quote throw InputError, and so
 * does a last record with too few fields and no line ending: an export cut short (cut-short.ts).
 */
export async function* readCsvRecords(stream: Readable, options: CsvRecordOptions): AsyncGenerator<InputRecord> {
  const { header, startOffset } = options;
  if (startOffset < header.byteEnd) {
    throw new RangeError(`startOffset ${startOffset} is inside the header, which ends at byte ${header.byteEnd}`);
  }
  const textIndexes = asNames(options.textColumn).map((name) => textColumnIndex(header, name));
  const repeatsHeader = headerRepeat(header);
  const width = header.columns.length;
  // Line numbers are only known when reading from just after the header.
  let line = startOffset === header.byteEnd ? 1 + countLineBreaks(Buffer.from(header.raw)) : undefined;

  const parsed: ParsedRecord[] = [];
  /** A parser whose first byte is at absolute offset `base`; a new one follows each oversized record. */
  const newParser = (base: number): Parser => {
    const created = new RecordEndParser(
      {
        // Every line ending ends a record, so a resumed run (starting at a record's end)
        // splits exactly like a fresh one whatever endings came before.
        ...csvDialect(options.escape, options.quote),
        delimiter: options.delimiter,
        bom: false,
        relax_column_count: true,
      },
      base,
      // Collected synchronously, in order, so a parse error is reported after exactly the records before it.
      (fields, end) => parsed.push({ fields, end }),
    );
    created.on('error', () => {}); // failures are taken from the write callbacks below
    created.resume();
    return created;
  };
  let parser = newParser(startOffset);

  let window = new ByteWindow(startOffset);
  const checked = pipeline(stream, new Utf8Check({ startOffset }), () => {});
  let index = options.startIndex;
  let recordStart = startOffset;
  /** The input's last byte so far: a quote left open there tells a cut export (mid-line) from a stray quote. */
  let lastByte: number | undefined;
  /** A stray quote's record yielded by drain() before its line was known (started past the header): placed() fills it in. */
  let unplaced: { record: InputRecord; byte: number; bytes: Buffer; lines: number } | undefined;
  /** The record being skipped over because it outgrew MAX_RECORD_BYTES. */
  let oversized: { scanner: CsvRecordEndScanner; chunks: Buffer[] } | undefined;

  const unquoted = options.quote === 'none';
  // With --quote none, a line break after a backslash is data: the lines up to the next line break that is not are one record.
  const lineJoin = unquoted ? new UnquotedLineJoin() : undefined;

  function* drain(final = false): Generator<InputRecord> {
    const endsHeld = lineJoin?.mark(parsed, (at) => window.byteAt(at), final) === true;
    for (const { fields: read, end, held } of parsed) {
      if (held === true) continue;
      const startByte = recordStart;
      const startLine = line;
      const bytes = window.take(recordStart, end);
      recordStart = end;
      if (line !== undefined) line += countLineBreaks(bytes);
      if (bytes.length > MAX_RECORD_BYTES) {
        // Ended within the chunk that crossed the limit: parsed already, but failed like any record over it.
        const { head, tail } = splitOversized([bytes]);
        // With --quote none csv-parse's fields are the last line's only: the record's own are counted from its bytes.
        const fieldCount = unquoted ? unquotedFieldCount(bytes, options.delimiter) : read.length;
        yield { index: index++, byteEnd: end, text: { ok: false, failure: recordTooLarge(bytes.length) }, raw: tail, rawHead: head, fieldCount };
        continue;
      }
      const raw = bytes.toString('utf8');
      // With --escape backslash, an unquoted cell's backslashes are read as a quoted cell's are (unquoted-escapes.ts).
      const fields = unquoted ? unquotedCells(splitLineEnding(raw).body, options.delimiter) : options.escape === 'backslash' ? withUnquotedEscapes(read, raw, options.delimiter) : read;
      const ending = lineEndingOf(raw);
      if (fields.length === 1 && fields[0] === '' && raw === ending) {
        yield { index, byteEnd: end, text: { ok: true, value: '' }, raw, passThrough: true };
        continue;
      }
      const aligned = fields.length === width;
      const repeated = repeatsHeader(fields, raw);
      // Only the last record can lack a line ending; short as well, it was cut, not written so.
      // With --quote none, one whose last backslash escapes nothing (before the end, or a last CR) was cut after that backslash.
      if (unquoted && (ending === undefined || ending === '\r') && unpairedEscape(splitLineEnding(raw).body) !== '') throw loneBackslashCutShort({ byte: startByte, line: startLine });
      if (!repeated && ending === undefined && isCutCsvRecord(fields.length, width, isWhiteSpace(raw))) throw csvRecordCutShort({ byte: startByte, line: startLine }, fields.length, width);
      const strayLines = options.strayQuotes !== undefined && !unquoted ? strayQuoteLines(raw, options.delimiter, options.escape) : undefined;
      if (strayLines !== undefined) {
        // Several rows read as one: no text of its own to score, whatever its field count (ragged or not).
        const record: InputRecord = { index: index++, byteEnd: end, text: { ok: false, failure: { code: '', message: '' } }, raw, ...(options.keepFields === true ? { fields } : {}) };
        if (startLine === undefined) unplaced = { record, byte: startByte, bytes, lines: strayLines };
        else record.text = { ok: false, failure: strayFound(startLine, bytes, strayLines) };
        yield record;
        continue;
      }
      if (aligned && !repeated) options.onFields?.(fields);
      // A BOM opening the line is a joined file's, never a review's.
      const ambiguous = repeated && width === 1 && !raw.startsWith('\uFEFF');
      const text: InputRecord['text'] = repeated
        ? { ok: false, failure: ambiguous ? oneColumnRepeat(header.columns[0]!) : REPEATED_HEADER_FAILURE }
        : aligned
          ? { ok: true, value: joinTextParts(textIndexes.map((i) => fields[i]!)) }
          : { ok: false, failure: unquoted ? unquotedRaggedRow(width, fields.length, raw, options.delimiter) : raggedRow(width, fields.length) };
      yield { index: index++, byteEnd: end, text, raw, ...(options.keepFields === true ? { fields } : {}) };
    }
    // The records before it are handed on first; the held lines from recordStart on are the cut record.
    if (endsHeld) throw escapedLineBreakCutShort({ byte: recordStart, line });
    parsed.length = 0;
  }

  /** A stray quote's failure, its lines from the first one on; onFound told. */
  const strayFound = (first: number, bytes: Buffer, lines: number): RowFailure => {
    // The record's own line ending ends its last line, not one more.
    const ended = bytes.at(-1) === LF || bytes.at(-1) === CR;
    const at: StrayQuote = { line: first, lastLine: first + countLineBreaks(bytes) - (ended ? 1 : 0), lines };
    options.strayQuotes?.onFound?.(at);
    return strayQuoteFailure(at, options);
  };
  /** The record drain() left unplaced, with its lines: from here on the reader knows its line numbers. */
  const placed = async (record: InputRecord): Promise<InputRecord> => {
    if (unplaced?.record !== record) return record;
    const { byte, bytes, lines } = unplaced;
    unplaced = undefined;
    const first = await (options.strayQuotes as NonNullable<CsvRecordOptions['strayQuotes']>).lineAt(byte);
    line = first + countLineBreaks(bytes);
    record.text = { ok: false, failure: strayFound(first, bytes, lines) };
    return record;
  };

  // Read as RFC 4180, a backslash-escaped export can split a row in two: never score its half (backslash-continuation.ts).
  const continuations = options.escape === 'backslash' || unquoted ? undefined : new BackslashContinuations(options.delimiter, width, options.onBackslashRow);
  // Read with them, a line break escaped in an unquoted cell still ends a record: never score a part of its row (escaped-line-breaks.ts).
  const escapedBreaks = options.escape === 'backslash' && !unquoted ? new EscapedLineBreaks(options.delimiter) : undefined;
  /** The records to hand on for `record`: itself, or none while held, or the held ones. */
  const marked = (record: InputRecord): InputRecord[] => looked(continuations?.push(record) ?? escapedBreaks?.push(record) ?? [record]);
  // An RFC 4180 file given --escape backslash: its doubled quotes stay in the texts, said once (doubled-quotes.ts).
  const doubledQuote = options.escape === 'backslash' && !unquoted ? options.onDoubledQuote : undefined;
  /** The records handed on, each with a doubled quote told of first. */
  const looked = (records: InputRecord[]): InputRecord[] => {
    if (doubledQuote !== undefined) for (const record of records) if (hasDoubledQuote(record.raw, options.delimiter)) doubledQuote(record);
    return records;
  };

  /** The skipped record as one failed row; parsing starts afresh just past it. */
  const finishOversized = (): InputRecord => {
    const { chunks, scanner } = oversized as NonNullable<typeof oversized>;
    oversized = undefined;
    const { head, tail, bytes } = splitOversized(chunks);
    const byteEnd = recordStart + bytes;
    if (line !== undefined) line += chunks.reduce((sum, chunk) => sum + countLineBreaks(chunk), 0);
    recordStart = byteEnd;
    parser = newParser(byteEnd);
    window = new ByteWindow(byteEnd);
    return { index: index++, byteEnd, text: { ok: false, failure: recordTooLarge(bytes) }, raw: tail, rawHead: head, fieldCount: scanner.fieldCount };
  };

  try {
    for await (const chunk of checked as AsyncIterable<Buffer>) {
      lastByte = chunk.at(-1) ?? lastByte;
      let pending: Buffer = chunk;
      while (pending.length > 0) {
        if (oversized) {
          const end = oversized.scanner.feed(pending);
          oversized.chunks.push(end === undefined ? pending : pending.subarray(0, end));
          if (end === undefined) break;
          yield* marked(finishOversized());
          pending = pending.subarray(end);
          continue;
        }
        const part = pending;
        window.push(part);
        const failure = await settle((callback) => parser.write(part, callback));
        // The records before a parse error come first; then the error, located at the next record's start.
        // A loop of yields, not yield* of the array: yield* wraps an array in an async iterator, a promise per record.
        for (const record of drain()) for (const handed of marked(unplaced === undefined ? record : await placed(record))) yield handed;
        if (failure !== undefined) throw failure;
        if (window.end - recordStart <= MAX_RECORD_BYTES) break;
        // The current record outgrew the limit: stop parsing it, find its end by scanning, keep its bytes as they are.
        parser.destroy();
        lineJoin?.clear();
        pending = window.take(recordStart, window.end);
        oversized = { scanner: new CsvRecordEndScanner(options.delimiter, options.escape, options.quote), chunks: [] };
      }
    }
    if (oversized) {
      // Cut short inside a record too long to parse: said as for any other record (the fields it has are counted).
      const { scanner } = oversized;
      const where = { byte: recordStart, line };
      if (scanner.open && scanner.inQuotes) throw quoteNotClosed(where, lastByte !== LF && lastByte !== CR, options.escape, undefined, options.looksUnquoted);
      // With --quote none only an escaped LF leaves the record open: cut after it, as drain() says of a parsed one.
      if (unquoted && scanner.open && lastByte === LF) throw escapedLineBreakCutShort(where);
      if (unquoted && scanner.open && scanner.escapePending) throw loneBackslashCutShort(where);
      if (scanner.open && isCutCsvRecord(scanner.fieldCount, width, false)) throw csvRecordCutShort(where, scanner.fieldCount, width);
      yield* marked(finishOversized());
    } else {
      const failure = await settle((callback) => parser.end(callback));
      for (const record of drain(true)) for (const handed of marked(unplaced === undefined ? record : await placed(record))) yield handed;
      if (failure !== undefined) throw failure;
    }
    yield* looked(continuations?.end() ?? escapedBreaks?.release() ?? []);
  } catch (error) {
    // The records read before the error come first, as they were read (a row of escaped line breaks as one, failed).
    yield* continuations?.release() ?? escapedBreaks?.release() ?? [];
    throw csvInputError(error, { byte: recordStart, line }, lastByte !== undefined && lastByte !== LF && lastByte !== CR, options.escape, options.looksUnquoted);
  } finally {
    // Also when the consumer stopped early: release the file now, not on a later tick.
    checked.destroy();
    stream.destroy();
    parser.destroy();
  }
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

function raggedRow(expected: number, got: number): RowFailure {
  return { code: RAGGED_ROW, message: `expected ${expected} fields, got ${got}` };
}

/** Under --quote none, a ragged row that reads whole with quotes says so (quoted-cells-look.ts). */
function unquotedRaggedRow(expected: number, got: number, raw: string, delimiter: string): RowFailure {
  const failure = raggedRow(expected, got);
  if (quotedCellOfRow(splitLineEnding(raw).body, delimiter, expected) === undefined) return failure;
  return { ...failure, message: failure.message + quotedRowAdvice(expected) };
}

/** Resolves with the error a stream callback reports, or undefined. */
function settle(start: (callback: (error?: Error | null) => void) => void): Promise<Error | undefined> {
  return new Promise((resolve) => start((error) => resolve(error ?? undefined)));
}
