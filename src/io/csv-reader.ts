import { pipeline, type Readable } from 'node:stream';
import type { Parser } from 'csv-parse';
import { ByteWindow } from './byte-window.js';
import { countLineBreaks, csvDialect } from './csv-dialect.js';
import { csvInputError, quoteNotClosed } from './csv-errors.js';
import type { CsvRecordOptions } from './csv-record-options.js';
import { csvRowRecord, csvRowRulesOf, type CsvCursor } from './csv-row.js';
import { CsvRowMarks } from './csv-row-marks.js';
import { csvRecordCutShort, escapedLineBreakCutShort, isCutCsvRecord, loneBackslashCutShort } from './cut-short.js';
import { CR, LF } from './csv-bytes.js';
import { CsvRecordEndScanner, MAX_COPIED_RECORD_BYTES, maxParsedRecordBytes, recordTooLarge, recordTooLargeToCopy, splitOversized } from './oversized-record.js';
import type { InputRecord } from './record.js';
import { RecordEndParser } from './record-end-parser.js';
import { StrayQuotePlaces } from './stray-quote-place.js';
import { Utf8Check } from './utf8-check.js';
import { UnquotedLineJoin } from './unquoted-line-join.js';

export { readCsvHeader, splitCsvHeader, textColumnIndex, type CsvHeader } from './csv-header.js';
export { RAGGED_ROW, REPEATED_HEADER } from './csv-row.js';
export type { CsvRecordOptions } from './csv-record-options.js';

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
  const rules = csvRowRulesOf(options);
  const { width, unquoted } = rules;
  // Line numbers are only known when reading from just after the header.
  const cursor: CsvCursor = { index: options.startIndex, recordStart: startOffset, line: startOffset === header.byteEnd ? 1 + countLineBreaks(Buffer.from(header.raw)) : undefined };

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
  /** The input's last byte so far: a quote left open there tells a cut export (mid-line) from a stray quote. */
  let lastByte: number | undefined;
  /** A stray quote's record yielded by drain() before its line was known (started past the header) waits there for it. */
  const strays = new StrayQuotePlaces(options);
  /** The record being skipped over because it outgrew maxParsedRecordBytes. */
  let oversized: { scanner: CsvRecordEndScanner; chunks: Buffer[]; bytes: number } | undefined;

  // With --quote none, a line break after a backslash is data: the lines up to the next line break that is not are one record.
  const lineJoin = unquoted ? new UnquotedLineJoin() : undefined;

  function* drain(final = false): Generator<InputRecord> {
    const endsHeld = lineJoin?.mark(parsed, (at) => window.byteAt(at), final) === true;
    for (const { fields: read, end, held } of parsed) {
      if (held === true) continue;
      const startByte = cursor.recordStart;
      const startLine = cursor.line;
      const bytes = window.take(cursor.recordStart, end);
      cursor.recordStart = end;
      if (cursor.line !== undefined) cursor.line += countLineBreaks(bytes);
      yield csvRowRecord(rules, cursor, { read, bytes, end, startByte, startLine }, strays);
    }
    // The records before it are handed on first; the held lines from recordStart on are the cut record.
    if (endsHeld) throw escapedLineBreakCutShort({ byte: cursor.recordStart, line: cursor.line });
    parsed.length = 0;
  }

  const marks = new CsvRowMarks(options, width);

  /** The skipped record as one failed row; parsing starts afresh just past it. */
  const finishOversized = (): InputRecord => {
    const { chunks, scanner } = oversized as NonNullable<typeof oversized>;
    oversized = undefined;
    const { head, tail, bytes } = splitOversized(chunks);
    const byteEnd = cursor.recordStart + bytes;
    if (cursor.line !== undefined) cursor.line += chunks.reduce((sum, chunk) => sum + countLineBreaks(chunk), 0);
    cursor.recordStart = byteEnd;
    parser = newParser(byteEnd);
    window = new ByteWindow(byteEnd);
    return { index: cursor.index++, byteEnd, text: { ok: false, failure: recordTooLarge(bytes, 'csv') }, raw: tail, rawHead: head, fieldCount: scanner.fieldCount };
  };

  try {
    for await (const chunk of checked as AsyncIterable<Buffer>) {
      lastByte = chunk.at(-1) ?? lastByte;
      let pending: Buffer = chunk;
      while (pending.length > 0) {
        if (oversized) {
          const end = oversized.scanner.feed(pending);
          oversized.chunks.push(end === undefined ? pending : pending.subarray(0, end));
          oversized.bytes += end ?? pending.length;
          if (oversized.bytes > MAX_COPIED_RECORD_BYTES) throw recordTooLargeToCopy({ byte: cursor.recordStart, line: cursor.line }, 'csv', oversized.scanner.inQuotes);
          if (end === undefined) break;
          yield* marks.marked(finishOversized());
          pending = pending.subarray(end);
          continue;
        }
        const part = pending;
        window.push(part);
        const failure = await settle((callback) => parser.write(part, callback));
        // The records before a parse error come first; then the error, located at the next record's start.
        // A loop of yields, not yield* of the array: yield* wraps an array in an async iterator, a promise per record.
        for (const record of drain()) for (const handed of marks.marked(strays.holding ? await strays.placed(record, cursor) : record)) yield handed;
        if (failure !== undefined) throw failure;
        // The bound in force now, not when the reader opened: a gzip input's reader opened to prove a checkpoint (the
        // last row written) goes on as the resume's (job/kept-reader.ts), whose records are judged under the job's
        // memory limit, decided after the proof (io/record-bound.ts judgeUnderJobLimit, run.ts).
        if (window.end - cursor.recordStart <= maxParsedRecordBytes('csv')) break;
        // The current record outgrew the limit: stop parsing it, find its end by scanning, keep its bytes as they are.
        parser.destroy();
        lineJoin?.clear();
        pending = window.take(cursor.recordStart, window.end);
        oversized = { scanner: new CsvRecordEndScanner(options.delimiter, options.escape, options.quote), chunks: [], bytes: 0 };
      }
    }
    if (oversized) {
      refuseCutOversized(oversized.scanner, { byte: cursor.recordStart, line: cursor.line }, lastByte, options, width);
      yield* marks.marked(finishOversized());
    } else {
      const failure = await settle((callback) => parser.end(callback));
      for (const record of drain(true)) for (const handed of marks.marked(strays.holding ? await strays.placed(record, cursor) : record)) yield handed;
      if (failure !== undefined) throw failure;
    }
    yield* marks.end();
  } catch (error) {
    // The records read before the error come first, as they were read (a row of escaped line breaks as one, failed).
    yield* marks.release();
    throw csvInputError(error, { byte: cursor.recordStart, line: cursor.line }, lastByte !== undefined && lastByte !== LF && lastByte !== CR, options.escape, options.looksUnquoted);
  } finally {
    // Also when the consumer stopped early: release the file now, not on a later tick.
    checked.destroy();
    stream.destroy();
    parser.destroy();
  }
}

/** Cut short inside a record too long to parse: said as for any other record (the fields it has are counted). */
function refuseCutOversized(scanner: CsvRecordEndScanner, where: { byte: number; line: number | undefined }, lastByte: number | undefined, options: CsvRecordOptions, width: number): void {
  const unquoted = options.quote === 'none';
  if (scanner.open && scanner.inQuotes) throw quoteNotClosed(where, lastByte !== LF && lastByte !== CR, options.escape, undefined, options.looksUnquoted);
  // With --quote none only an escaped LF leaves the record open: cut after it, as drain() says of a parsed one.
  if (unquoted && scanner.open && lastByte === LF) throw escapedLineBreakCutShort(where);
  if (unquoted && scanner.open && scanner.escapePending) throw loneBackslashCutShort(where);
  if (scanner.open && isCutCsvRecord(scanner.fieldCount, width, false)) throw csvRecordCutShort(where, scanner.fieldCount, width);
}

/** Resolves with the error a stream callback reports, or undefined. */
function settle(start: (callback: (error?: Error | null) => void) => void): Promise<Error | undefined> {
  return new Promise((resolve) => start((error) => resolve(error ?? undefined)));
}
