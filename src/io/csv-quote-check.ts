import { Writable } from 'node:stream';
import { quoteNotClosed } from './csv-errors.js';
import { CsvByteReader } from './csv-bytes.js';
import { MAX_RECORD_BYTES } from './oversized-record.js';

/**
 * Reads CSV/TSV bytes through by the reader's dialect (csv-dialect.ts) only to learn whether the input
 * ends inside a quoted value: an export cut off mid-review (a copy or an export job that stopped). The
 * reader finds that only at the end of the file, after every row before it was sent and paid for, and the
 * complete export is a new input, paid for again. Fails as the reader does, with the same words and place.
 *
 * Any line ending (CRLF, LF, CR) outside quotes ends a record (CsvByteReader reads the quotes). An open
 * record longer than the reader parses (MAX_RECORD_BYTES) is left to the reader, which copies it unscored
 * rather than failing.
 */
export class CsvQuoteCheck extends Writable {
  private readonly bytes: CsvByteReader;
  private offset = 0;
  private recordStart = 0;
  private recordLine = 1;

  constructor(delimiter: string) {
    super();
    this.bytes = new CsvByteReader(delimiter);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (let from = 0; ; ) {
      const lineBreak = this.bytes.scan(chunk, from);
      if (lineBreak === -1) break;
      from = lineBreak + 1;
      this.recordStart = this.offset + from;
      this.recordLine = this.bytes.line;
    }
    this.offset += chunk.length;
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.bytes.inQuotes || this.offset - this.recordStart > MAX_RECORD_BYTES) {
      callback();
      return;
    }
    callback(quoteNotClosed({ byte: this.recordStart, line: this.recordLine }));
  }
}
