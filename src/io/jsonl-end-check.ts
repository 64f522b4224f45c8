import { Writable } from 'node:stream';
import { isCutJsonlLine, jsonlLineCutShort } from './cut-short.js';
import { maxParsedRecordBytes } from './oversized-record.js';

const LF = 0x0a;

/**
 * Reads JSONL bytes through only to learn whether the last line, with no line ending, is not JSON: an export cut
 * off mid-record (cut-short.ts), which the reader finds only after every line before it was sent and paid for.
 * Fails as the reader does, with the same words and place. Keeps only the bytes since the last line ending; a last
 * line longer than the reader parses (maxParsedRecordBytes) is left to the reader.
 */
export class JsonlEndCheck extends Writable {
  private offset = 0;
  private lineStart = 0;
  private line = 1;
  /** The bytes of the last line so far; undefined once it outgrew maxParsedRecordBytes. */
  private tail: Buffer[] | undefined = [];
  private tailBytes = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let from = 0;
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
      this.line++;
      from = at + 1;
    }
    if (from > 0) {
      this.lineStart = this.offset + from;
      this.tail = [];
      this.tailBytes = 0;
    }
    const rest = chunk.subarray(from);
    this.tailBytes += rest.length;
    if (this.tailBytes > maxParsedRecordBytes('jsonl')) this.tail = undefined;
    else if (rest.length > 0) this.tail?.push(Buffer.from(rest));
    this.offset += chunk.length;
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const last = this.tail === undefined ? '' : Buffer.concat(this.tail).toString('utf8');
    callback(isCutJsonlLine(last) ? jsonlLineCutShort({ byte: this.lineStart, line: this.line }, last) : undefined);
  }
}
