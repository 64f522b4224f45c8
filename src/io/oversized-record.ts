import { InputError, type RowFailure } from '../errors.js';
import { maxParsedRecordBytes, tooLargeMessage, type RecordFormat } from './record-bound.js';
import { CsvByteReader, LF } from './csv-bytes.js';
import type { CsvEscape, CsvQuote } from './csv-dialect.js';

export { MAX_RECORD_BYTES, maxParsedRecordBytes } from './record-bound.js';

export const RECORD_TOO_LARGE = 'record_too_large';

/**
 * The most bytes a record too large to parse (record-bound.ts) may have and still be copied: its bytes are held in memory (outside
 * the heap, yet inside a container's memory limit) until they are written. Without a bound a 2 MB gzip of a 2 GiB
 * field took the run to 2.3 GB of memory (/usr/bin/time -v), and a 512 MiB container would be killed on every
 * resume. Past this the run stops at the record, naming it (exit 3), before it holds more.
 */
export const MAX_COPIED_RECORD_BYTES = 128 * 1024 * 1024;

/** The refusal of a record past MAX_COPIED_RECORD_BYTES: `where` its first byte (and line, when known). */
/** `inQuotes`: a CSV record inside a quoted value at the bound (a huge field, or a quote never closed taking in the rest of the file). */
export function recordTooLargeToCopy(where: { byte: number; line: number | undefined }, format: RecordFormat, inQuotes = false): InputError {
  const place = `the record starting at ${where.line === undefined ? '' : `line ${where.line}, `}byte ${where.byte}`;
  const quote = inQuotes ? ' It is inside a quoted value at 128 MiB: if a quote (") was left open by mistake, it takes in every line after it.' : '';
  return new InputError(
    `${place} has more than ${MAX_COPIED_RECORD_BYTES / 1024 / 1024} MiB: too large to copy to the output unscored (a record over ` +
      `${maxParsedRecordBytes(format) / 1024 / 1024} MiB is held in memory whole to be copied); remove it from the export, or cut it short, then run again.${quote}`,
  );
}

/** The row failure of a record of `bytes` over the bound of its `format` (record-bound.ts). */
export function recordTooLarge(bytes: number, format: RecordFormat): RowFailure {
  return { code: RECORD_TOO_LARGE, message: tooLargeMessage(format, bytes) };
}

/** Bytes kept as `raw` (a string) at the end of an oversized record: what the formatters change lies there. */
const TAIL_BYTES = 4096;

/** An oversized record's bytes: `head` chunks, then `tail` (decoded, starting on a character boundary). */
export function splitOversized(chunks: Buffer[]): { head: Buffer[]; tail: string; bytes: number } {
  const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  let cut = Math.max(0, bytes - TAIL_BYTES);
  const all = new ChunkCursor(chunks);
  // Never split a UTF-8 character: move back over continuation bytes (10xxxxxx).
  while (cut > 0 && ((all.byteAt(cut) ?? 0) & 0xc0) === 0x80) cut--;
  return { head: all.slice(0, cut), tail: Buffer.concat(all.slice(cut, bytes)).toString('utf8'), bytes };
}

/**
 * Finds where an oversized CSV record ends without parsing it into strings, by the reader's dialect
 * (CsvByteReader): any line ending (CRLF, LF, CR) outside a quoted value ends it. Also counts its fields,
 * so a short row is padded like any other ragged row.
 */
export class CsvRecordEndScanner {
  private readonly bytes: CsvByteReader;
  /** The previous chunk ended with a CR outside quotes: the record ends there, or after an LF that follows. */
  private pendingCr = false;

  constructor(delimiter: string, escape: CsvEscape = 'quote', quote: CsvQuote = '"') {
    this.bytes = new CsvByteReader(delimiter, escape, quote);
  }

  get fieldCount(): number {
    return this.bytes.fieldEnds + 1;
  }

  /** Inside a quoted value (its closing quote not seen yet). */
  get inQuotes(): boolean {
    return this.bytes.inQuotes;
  }

  /** With --quote none, just after a backslash: where the input ends, one that escapes nothing (cut-short.ts). */
  get escapePending(): boolean {
    return this.bytes.escapePending;
  }

  /** No line ending has ended the record: where the input ends, it was cut short (cut-short.ts). */
  get open(): boolean {
    return !this.pendingCr;
  }

  /** The index just past the record's end in `chunk` (0 when it ended with the previous chunk), or undefined when it goes on. */
  feed(chunk: Buffer): number | undefined {
    if (this.pendingCr) {
      this.pendingCr = false;
      return chunk[0] === LF ? 1 : 0;
    }
    const lineBreak = this.bytes.scan(chunk, 0);
    if (lineBreak === -1) return undefined;
    if (chunk[lineBreak] === LF) return lineBreak + 1;
    if (lineBreak + 1 < chunk.length) return chunk[lineBreak + 1] === LF ? lineBreak + 2 : lineBreak + 1;
    this.pendingCr = true;
    return undefined;
  }
}

/** Byte access across a list of chunks. */
class ChunkCursor {
  constructor(private readonly chunks: Buffer[]) {}

  byteAt(offset: number): number | undefined {
    for (const chunk of this.chunks) {
      if (offset < chunk.length) return chunk[offset];
      offset -= chunk.length;
    }
    return undefined;
  }

  /** The bytes in [start, end) as subarrays of the chunks (no copy). */
  slice(start: number, end: number): Buffer[] {
    const parts: Buffer[] = [];
    let position = 0;
    for (const chunk of this.chunks) {
      const from = Math.max(start - position, 0);
      const to = Math.min(end - position, chunk.length);
      if (to > from) parts.push(chunk.subarray(from, to));
      position += chunk.length;
      if (position >= end) break;
    }
    return parts;
  }
}
