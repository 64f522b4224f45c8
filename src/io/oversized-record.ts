import type { RowFailure } from '../errors.js';

/**
 * Records larger than this are not parsed: one such row fails with
 * `record_too_large` and its bytes are copied to the output unchanged (held as
 * buffers outside the JavaScript heap, never as one string). Without the
 * limit a 200 MB field made V8 run out of heap under a 384 MB cap on every
 * resume: a crash loop. Reviews are far smaller; 16 MiB leaves room for wide
 * records while keeping a record's strings a small share of such a heap.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export const RECORD_TOO_LARGE = 'record_too_large';

export function recordTooLarge(bytes: number): RowFailure {
  return { code: RECORD_TOO_LARGE, message: `the record has more than ${MAX_RECORD_BYTES} bytes (${bytes}); it is copied unscored` };
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
 * Finds where an oversized CSV record ends without parsing it into strings,
 * by the reader's dialect (csv-dialect.ts): any line ending (CRLF, LF, CR)
 * outside a quoted value ends it; a value is quoted only when it starts with a
 * quote (`""` inside is one quote); a quote inside an unquoted value is data.
 * Also counts its fields, so a short row is padded like any other ragged row.
 */
export class CsvRecordEndScanner {
  private state: 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'start';
  private fields = 1;
  /** The previous chunk ended with a CR outside quotes: the record ends there, or after an LF that follows. */
  private pendingCr = false;
  /** The delimiter's UTF-8 bytes (one for `,`; three for a fullwidth `；`). */
  private readonly delimiter: Buffer;
  /** Bytes of the delimiter seen so far outside quotes (a delimiter may be split between chunks). */
  private matched = 0;

  constructor(delimiter: string) {
    this.delimiter = Buffer.from(delimiter, 'utf8');
  }

  get fieldCount(): number {
    return this.fields;
  }

  /** The index just past the record's end in `chunk` (0 when it ended with the previous chunk), or undefined when it goes on. */
  feed(chunk: Buffer): number | undefined {
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      return chunk[0] === LF ? 1 : 0;
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.matched > 0) {
        // Within a delimiter of several bytes: its continuation bytes, or another character that starts alike (data).
        if (byte === this.delimiter[this.matched]) {
          this.matched += 1;
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
        // Opens a quoted value at its start; `""` inside one is an escaped quote; elsewhere it is data.
        if (this.state === 'start' || this.state === 'quote-in-quoted') this.state = 'quoted';
        continue;
      }
      if (byte === this.delimiter[0]) {
        if (this.delimiter.length === 1) this.endField();
        else this.matched = 1;
      } else if (byte === LF) {
        return i + 1;
      } else if (byte === CR) {
        if (i + 1 < chunk.length) return chunk[i + 1] === LF ? i + 2 : i + 1;
        this.pendingCr = true;
        return undefined;
      } else {
        this.state = 'unquoted';
      }
    }
    return undefined;
  }

  private endField(): void {
    this.fields += 1;
    this.state = 'start';
    this.matched = 0;
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

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
