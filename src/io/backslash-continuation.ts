import { parse } from 'csv-parse/sync';
import { CsvByteReader } from './csv-bytes.js';
import { csvDialect, lineEndingOf, splitLineEnding } from './csv-dialect.js';
import { failedJoinedRow, indexesFreed } from './joined-row.js';
import type { InputRecord } from './record.js';

/** The advice every message about such records ends with. */
const USE_ESCAPE_BACKSLASH = 'looks backslash-escaped (MySQL/pandas escapechar): use --escape backslash';

/**
 * Records held while deciding, at most: a review's cell rarely spans more lines, and an RFC 4180 file's ragged row
 * whose last cell ends in `\"` (`"C:\dir\"`) must not hold the whole file back.
 */
const MAX_HELD_RECORDS = 64;
const MAX_HELD_BYTES = 1024 * 1024;

/**
 * Read as RFC 4180 (--escape quote, the default), a backslash-escaped export (MySQL's INTO OUTFILE ... ENCLOSED BY
 * '"', pandas' escapechar) whose quoted cell holds `\"` and a line break splits in two at that line break: the first
 * part is a ragged row (failed, visible), the second may have the header's width, and was scored: a bogus row, the
 * tail of a review with the next cells (`more, stuff",5`). So, with the default escape, a ragged row whose last quoted
 * cell is still open at its line ending when read with backslash escapes is held with the records after it, until
 * that reading closes the cell and the record. When the ragged row and those records, joined, read with backslash
 * escapes as exactly one record of the header's width, every quoted cell of it closed just before a delimiter or the
 * line's end (csv-parse's strict quotes), they are that one row split: they become one record, failed (`ragged_row`,
 * its message naming --escape backslash), not scored, its bytes theirs. One record, not several failed ones: a
 * checkpoint can then never fall between the halves, where a resumed run, reading from the second half on, would not
 * know it for one and would score it (and the proof of a checkpoint after a half would fail). Anything else (the
 * reading ends mid-record, another width, a quote closing mid-text, too many lines or bytes held, the end of the
 * input) leaves the records as they were read: an RFC 4180 file's `"C:\dir\"` cell at a line's end reads exactly as
 * before, and so does its next row unless the two are one perfect backslash-escaped row. Records come out in order.
 *
 * Synchronous, called once per record by the reader (csv-reader.ts): no extra async step per row on the hot path.
 */
export class BackslashContinuations {
  private held: { records: InputRecord[]; bytes: number; reader: CsvByteReader } | undefined;
  /** Records joined so far, less one per join: later records' indexes move back by as many. */
  private shift = 0;

  /** `onJoined` is told of each record joined so (source.ts names the first in a warning). */
  constructor(
    private readonly delimiter: string,
    private readonly width: number,
    private readonly onJoined?: (record: InputRecord) => void,
  ) {}

  /** The records to hand on now, in order: `record` itself, none while holding, or the held ones once decided. */
  push(record: InputRecord): InputRecord[] {
    if (this.shift > 0) record.index -= this.shift;
    const held = this.held;
    if (held === undefined) {
      const reading = backslashReading(record, this.delimiter);
      if (reading === undefined) return [record];
      if (reading === 'whole') {
        // Ragged on one line (`1,"a \"b, c\" d",5`: four fields), a whole row with backslash escapes: said so.
        const row = this.oneRow(record.raw);
        if (row !== undefined && !record.text.ok) {
          record.text = { ok: false, failure: { ...record.text.failure, message: `${record.text.failure.message}; read with backslash escapes it is one row of ${this.width}: it ${USE_ESCAPE_BACKSLASH}` } };
          this.onJoined?.(record);
        }
        return [record];
      }
      this.held = { records: [record], bytes: Buffer.byteLength(record.raw), reader: reading };
      return [];
    }
    held.records.push(record);
    held.bytes += Buffer.byteLength(record.raw);
    // Too large to parse: no part of a review split in two.
    if (record.rawHead !== undefined) return this.release();
    const lineBreak = held.reader.scan(Buffer.from(record.raw, 'utf8'), 0);
    if (lineBreak === -1 && held.records.length < MAX_HELD_RECORDS && held.bytes <= MAX_HELD_BYTES) return [];
    // Read with backslash escapes, the record ends at this record's own line ending: the candidate is complete.
    if (lineBreak !== -1 && lineBreak === Buffer.byteLength(splitLineEnding(record.raw).body)) return this.joinIfOneRow();
    return this.release();
  }

  /** At the end of the input: the records still held (the last, with no line ending, may close the cell at the very end). */
  end(): InputRecord[] {
    const held = this.held;
    if (held === undefined) return [];
    const last = held.records.at(-1)!;
    if (held.records.length > 1 && !held.reader.inQuotes && lineEndingOf(last.raw) === undefined) return this.joinIfOneRow();
    return this.release();
  }

  /** The records held, as they were read (the input failed: nothing more to judge them by). */
  release(): InputRecord[] {
    const records = this.held?.records ?? [];
    this.held = undefined;
    return records;
  }

  /** The held records as one failed record when, joined, they read with backslash escapes as one row of the header's width. */
  private joinIfOneRow(): InputRecord[] {
    const records = this.release();
    const raw = records.map((record) => record.raw).join('');
    const row = this.oneRow(raw);
    if (row === undefined) return records;
    this.shift += indexesFreed(records);
    // No quote in the message: the cell holding it reads back alike either way (partial-answers.ts and report read the output).
    const message = (lines: number) => `the row spans ${lines} lines, which RFC 4180 reads as ${records.length} records (a quote after a backslash closes its cell there): it ${USE_ESCAPE_BACKSLASH}; not scored`;
    // Its width read with backslash escapes: no cells to pad before the new ones.
    const joined = failedJoinedRow(records, message, { fields: row, fieldCount: this.width });
    this.onJoined?.(joined);
    return [joined];
  }

  /** The fields of `raw` read strictly with backslash escapes, when it is one row of the header's width. */
  private oneRow(raw: string): string[] | undefined {
    try {
      const rows = parse(raw, { ...csvDialect('backslash'), relax_quotes: false, delimiter: this.delimiter, bom: false, relax_column_count: true }) as string[][];
      return rows.length === 1 && rows[0]!.length === this.width ? rows[0] : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * A ragged row with a `\"`, read with backslash escapes: its quoted cell still open at its line ending (the reader
 * that read it so, to go on with the next records), or ending with it ('whole'); undefined for anything else.
 */
function backslashReading(record: InputRecord, delimiter: string): CsvByteReader | 'whole' | undefined {
  if (record.text.ok || record.text.failure.code !== 'ragged_row' || record.rawHead !== undefined) return undefined;
  // Only a `\"` reads otherwise with backslash escapes than as a doubled quote would: most ragged rows have none.
  if (!record.raw.includes('\\"')) return undefined;
  const reader = new CsvByteReader(delimiter, 'backslash');
  const lineBreak = reader.scan(Buffer.from(record.raw, 'utf8'), 0);
  if (lineBreak === Buffer.byteLength(splitLineEnding(record.raw).body) || (lineBreak === -1 && !reader.inQuotes && lineEndingOf(record.raw) === undefined)) return 'whole';
  return lineBreak === -1 && reader.inQuotes && lineEndingOf(record.raw) !== undefined ? reader : undefined;
}

/** The run's one line about the first such row (source.ts says it once). */
export function backslashRowWarning(record: InputRecord): string {
  return (
    `data row ${record.index + 1} is ragged as RFC 4180 (the default, --escape quote) reads it, and one whole row read with backslash escapes (\\"): ` +
    'the export looks backslash-escaped (MySQL INTO OUTFILE, pandas escapechar): run it with --escape backslash. Read as it is, each such row is marked failed (ragged_row), not scored; ' +
    'later rows like it are not named here'
  );
}
