import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { CsvEscape, CsvQuote } from './csv-dialect.js';
import { quoteNotClosed } from './csv-errors.js';
import { CR, CsvByteReader, LF } from './csv-bytes.js';
import { csvRecordCutShort, escapedLineBreakCutShort, isCutCsvRecord, isWhiteSpace, loneBackslashCutShort } from './cut-short.js';
import { maxParsedRecordBytes } from './oversized-record.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Reads CSV/TSV bytes through by the reader's dialect (csv-dialect.ts) only to learn whether the input
 * ends inside a record: inside a quoted value, or in a last record with fewer fields than the header and
 * no line ending (cut-short.ts): an export cut off mid-review (a copy or an export job that stopped). The
 * reader finds that only at the end of the file, after every row before it was sent and paid for, and the
 * complete export is a new input, paid for again. Fails as the reader does, with the same words and place.
 *
 * Any line ending (CRLF, LF, CR) outside quotes ends a record (CsvByteReader reads the quotes). The header's
 * width is its own count of the first record's fields, a BOM before it skipped as the header's reader skips it.
 * A record longer than the reader parses (maxParsedRecordBytes) is judged alike: the reader counts its fields
 * without parsing it.
 */
export class CsvEndCheck extends Writable {
  private readonly bytes: CsvByteReader;
  private offset = 0;
  private recordStart = 0;
  private recordLine = 1;
  /** Delimiters read before the current record: its fields are the ones read since, plus one. */
  private fieldEndsBefore = 0;
  /** The header's fields, once its line ending is read. */
  private width: number | undefined;
  private lastByte: number | undefined;
  /** The input's first bytes while they may still be the start of a BOM; undefined once past. */
  private start: Buffer | undefined = Buffer.alloc(0);
  /** The current record's text so far is white space only: its bytes decoded until one is not. */
  private blank = true;
  private decoder = new StringDecoder('utf8');

  /** `looksUnquoted`: the file's first rows quote no cell (unquoted-look.ts), so an open quote's advice names --quote none. */
  constructor(delimiter: string, private readonly escape: CsvEscape = 'quote', private readonly quote: CsvQuote = '"', private readonly looksUnquoted = false) {
    super();
    this.bytes = new CsvByteReader(delimiter, escape, quote);
  }

  override _write(input: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let chunk = input;
    let from = 0;
    if (this.start !== undefined) {
      // The first bytes, until they are known to be a BOM or not (it may come in chunks of a byte).
      chunk = Buffer.concat([this.start, input]);
      if (chunk.length < BOM.length && BOM.subarray(0, chunk.length).equals(chunk)) {
        this.start = chunk;
        callback();
        return;
      }
      this.start = undefined;
      from = chunk.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0;
    }
    for (;;) {
      const lineBreak = this.bytes.scan(chunk, from);
      if (lineBreak === -1) break;
      from = lineBreak + 1;
      this.width ??= this.bytes.fieldEnds + 1;
      this.recordStart = this.offset + from;
      this.recordLine = this.bytes.line;
      this.fieldEndsBefore = this.bytes.fieldEnds;
      this.blank = true;
      this.decoder = new StringDecoder('utf8');
    }
    if (this.blank) this.blank = isWhiteSpace(this.decoder.write(chunk.subarray(from)));
    this.offset += chunk.length;
    this.lastByte = chunk.at(-1) ?? this.lastByte;
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const where = { byte: this.recordStart, line: this.recordLine };
    const fields = this.bytes.fieldEnds - this.fieldEndsBefore + 1;
    // A record too long for the reader to parse is not looked at for white space there either.
    const blank = this.blank && this.offset - this.recordStart <= maxParsedRecordBytes('csv');
    if (this.bytes.inQuotes) callback(quoteNotClosed(where, this.lastByte !== LF && this.lastByte !== CR, this.escape, undefined, this.looksUnquoted));
    // With --quote none an LF ends every record but an escaped one: a record still open after one was cut there.
    else if (this.quote === 'none' && this.width !== undefined && this.offset > this.recordStart && this.lastByte === LF) callback(escapedLineBreakCutShort(where));
    // And one whose last backslash escapes nothing: cut between it and the character it escaped.
    else if (this.quote === 'none' && this.width !== undefined && this.offset > this.recordStart && this.bytes.escapePending) callback(loneBackslashCutShort(where));
    else if (this.width !== undefined && this.offset > this.recordStart && isCutCsvRecord(fields, this.width, blank)) callback(csvRecordCutShort(where, fields, this.width));
    else callback();
  }
}
