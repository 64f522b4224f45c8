import { Writable } from 'node:stream';
import { quoteNotClosed } from './csv-errors.js';
import { MAX_RECORD_BYTES } from './oversized-record.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads CSV/TSV bytes through by the reader's dialect (csv-dialect.ts) only to learn whether the input
 * ends inside a quoted value: an export cut off mid-review (a copy or an export job that stopped). The
 * reader finds that only at the end of the file, after every row before it was sent and paid for, and the
 * complete export is a new input, paid for again. Fails as the reader does, with the same words and place.
 *
 * Any line ending (CRLF, LF, CR) outside quotes ends a record; a value is quoted only when it starts with a
 * quote, and `""` inside it is one quote; a quote anywhere else is data. An open record longer than the
 * reader parses (MAX_RECORD_BYTES) is left to the reader, which copies it unscored rather than failing.
 */
export class CsvQuoteCheck extends Writable {
  private state: 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'start';
  /** The delimiter's UTF-8 bytes (a fullwidth '；' is three), and how many of them were just seen outside quotes. */
  private readonly delimiter: Buffer;
  private matched = 0;
  private offset = 0;
  private line = 1;
  private afterCr = false;
  private recordStart = 0;
  private recordLine = 1;

  constructor(delimiter: string) {
    super();
    this.delimiter = Buffer.from(delimiter, 'utf8');
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      // Lines as the reader numbers them: a CRLF is one line break.
      if (byte === CR || (byte === LF && !this.afterCr)) this.line++;
      this.afterCr = byte === CR;
      if (this.matched > 0) {
        // Within a delimiter of several bytes: its next byte, or another character that starts alike (data).
        if (byte === this.delimiter[this.matched]) {
          this.matched++;
          if (this.matched === this.delimiter.length) this.endField();
          continue;
        }
        this.matched = 0;
        this.state = 'unquoted';
      }
      if (this.state === 'quoted') {
        if (byte === QUOTE) this.state = 'quote-in-quoted';
        continue;
      }
      if (byte === QUOTE) {
        // Opens a value at its start; `""` inside a quoted value is one quote; elsewhere it is data.
        this.state = this.state === 'start' || this.state === 'quote-in-quoted' ? 'quoted' : 'unquoted';
        continue;
      }
      if (byte === this.delimiter[0]) {
        if (this.delimiter.length === 1) this.endField();
        else this.matched = 1;
      } else if (byte === LF || byte === CR) {
        this.state = 'start';
        this.recordStart = this.offset + i + 1;
        this.recordLine = this.line;
      } else {
        this.state = 'unquoted';
      }
    }
    this.offset += chunk.length;
    callback();
  }

  private endField(): void {
    this.matched = 0;
    this.state = 'start';
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.state !== 'quoted' || this.offset - this.recordStart > MAX_RECORD_BYTES) {
      callback();
      return;
    }
    callback(quoteNotClosed({ byte: this.recordStart, line: this.recordLine }));
  }
}
