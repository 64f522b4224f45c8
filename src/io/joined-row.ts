import { countLineBreaks, lineEndingOf } from './csv-dialect.js';
import type { InputRecord } from './record.js';

/**
 * Records that are the lines of one row, as the one record that fails it (`ragged_row`, not scored): the first's index,
 * the last's end, their bytes, so that no checkpoint falls between its lines (backslash-continuation.ts,
 * escaped-line-breaks.ts). `message` is given the lines the row spans (a last line without a line ending counted);
 * `fields` and `fieldCount` are the row's as the reader that joined it reads it.
 */
export function failedJoinedRow(records: readonly InputRecord[], message: (lines: number) => string, row: { fields: string[]; fieldCount: number }): InputRecord {
  const first = records[0]!;
  const last = records.at(-1)!;
  const raw = records.map((record) => record.raw).join('');
  const lines = countLineBreaks(Buffer.from(raw, 'utf8')) + (lineEndingOf(last.raw) === undefined ? 1 : 0);
  return {
    index: first.index,
    byteEnd: last.byteEnd,
    text: { ok: false, failure: { code: 'ragged_row', message: message(lines) } },
    raw,
    fieldCount: row.fieldCount,
    ...(first.fields !== undefined ? { fields: row.fields } : {}),
  };
}

/** The indexes a join of `records` frees: each took one (blank lines aside), the one record keeps the first's. */
export function indexesFreed(records: readonly InputRecord[]): number {
  return records.filter((record) => record.passThrough !== true).length - 1;
}
