import { parse } from 'csv-parse/sync';
import { csvDialect, lineEndingOf, splitLineEnding } from './csv-dialect.js';
import { failedJoinedRow, indexesFreed } from './joined-row.js';
import type { InputRecord } from './record.js';
import { withUnquotedEscapes } from './unquoted-escapes.js';

/** Bytes held at most before the records of one row go out (as one failed row): no whole file held back. */
const MAX_HELD_BYTES = 1024 * 1024;

/**
 * With --escape backslash, a line break written after a backslash in an unquoted cell: MySQL's INTO OUTFILE without
 * ENCLOSED BY (its default, tab-separated) and Python's csv with QUOTE_NONE write a review's line break so, and read
 * the lines as one row. csv-parse ends the record at that line break all the same: the row's first lines had the
 * header's width when the cell was the last one, and its text, cut at the line break, was scored (`first line\`), the
 * rest a ragged row or, of the header's width, scored too: texts nobody wrote. So a record whose unquoted last cell ends
 * in an odd run of backslashes (`\\` is a backslash, written so by these writers) is held with the records after it
 * until one does not end so; together they are one record, failed (`ragged_row`, not scored), its bytes theirs. One
 * record, so no checkpoint falls between its lines, where a resumed run would read the rest as a row of its own.
 *
 * Synchronous, called once per record by the reader (csv-reader.ts), as BackslashContinuations is for the default escape.
 */
export class EscapedLineBreaks {
  private held: { records: InputRecord[]; bytes: number } | undefined;
  /** Records joined so far, less one per join: later records' indexes move back by as many. */
  private shift = 0;

  constructor(private readonly delimiter: string) {}

  /** The records to hand on now, in order: `record` itself, none while holding, or the held ones as one row. */
  push(record: InputRecord): InputRecord[] {
    if (this.shift > 0) record.index -= this.shift;
    if (this.held === undefined && !endsWithEscapedLineBreak(record)) return [record];
    // A record too large to parse carries no text of this row: the lines before it go out as one failed row, it as it is.
    if (record.rawHead !== undefined) return [...this.release(), record];
    const held = (this.held ??= { records: [], bytes: 0 });
    held.records.push(record);
    held.bytes += Buffer.byteLength(record.raw);
    if (!endsWithEscapedLineBreak(record)) return this.release();
    if (held.bytes <= MAX_HELD_BYTES) return [];
    // Too much held: these lines go out as one failed row, and the next record is still part of it (failed with it).
    const joined = this.release();
    this.held = { records: [], bytes: 0 };
    return joined;
  }

  /** At the end of the input, or when it failed: the records held, as one failed row (never a part of it scored). */
  release(): InputRecord[] {
    const records = this.held?.records ?? [];
    this.held = undefined;
    if (records.length === 0) return [];
    this.shift += indexesFreed(records);
    const fields = this.cellsOfRow(records);
    // No quote in the message: the cell holding it reads back alike either way (partial-answers.ts and report read the output).
    const message = (lines: number) =>
      `the row spans ${lines} lines, its line breaks written after a backslash in an unquoted cell (MySQL INTO OUTFILE without ENCLOSED BY, ` +
      `Python csv QUOTE_NONE), which this reader does not join; not scored: read a file that quotes no cell with --quote none, or export with the cells quoted (ENCLOSED BY, pandas' default quoting)`;
    // Its width as the writer meant it: the new cells padded to the header's width after it, read back so (report).
    return [failedJoinedRow(records, message, { fields, fieldCount: fields.length })];
  }

  /** The row's cells as its writer meant them: each escaped line break joins a record's last cell to the next's first. */
  private cellsOfRow(records: InputRecord[]): string[] {
    const cells: string[] = [];
    let ending = '';
    for (const record of records) {
      const own = this.cellsOf(record.raw);
      // The cell before ends with the backslash that escaped the line break: it goes, the line break stays.
      if (cells.length > 0) cells.push(`${cells.pop()!.slice(0, -1)}${ending}${own.shift() ?? ''}`);
      cells.push(...own);
      ending = lineEndingOf(record.raw) ?? '';
    }
    return cells.length > 0 ? cells : [''];
  }

  private cellsOf(raw: string): string[] {
    const read = parse(raw, { ...csvDialect('backslash'), delimiter: this.delimiter, bom: false, relax_column_count: true }) as string[][];
    return withUnquotedEscapes(read[0] ?? [''], raw, this.delimiter);
  }
}

/** Whether the record's last cell ends in an odd run of backslashes just before its line ending: an escaped line break. */
function endsWithEscapedLineBreak(record: InputRecord): boolean {
  if (record.passThrough === true || record.rawHead !== undefined) return false;
  const { body, ending } = splitLineEnding(record.raw);
  if (ending === '') return false;
  let run = 0;
  while (run < body.length && body[body.length - 1 - run] === '\\') run++;
  return run % 2 === 1;
}
