import type { InputRecord } from './record.js';

/**
 * `record` as it was read where its file ended at `offset`, when it now goes on only by a line ending (LF or CRLF) after
 * that offset; otherwise `record` as it is. Its raw bytes without that ending are what the output's row was made from.
 *
 * An exporter that writes no line ending after its last row gives, the next night, yesterday's bytes, a line ending,
 * then the new rows (grown-input.ts continues such a job). Read again, yesterday's last row now ends one line ending
 * further on, yet it is the same record: the checkpoint's proof of the last row (prove-checkpoint.ts) and the list of
 * failed rows, which records that row's range as its file ended it (verify-list.ts, mend.ts), take it back to that end.
 * The line ending itself stays in the output after the row, where the continuing run wrote it (a blank line passed
 * through), so a mended row written without it gives the bytes of a fresh run.
 */
export function withoutEndingAt(record: InputRecord, offset: number): InputRecord {
  const extra = record.byteEnd - offset;
  const ending = extra === 1 ? '\n' : extra === 2 ? '\r\n' : undefined;
  // A row read ending in a lone CR (perhaps the first half of a CRLF) is not one without a line ending.
  if (ending === undefined || record.passThrough === true || !record.raw.endsWith(ending) || record.raw.endsWith(`\r${ending}`)) return record;
  return { ...record, raw: record.raw.slice(0, -ending.length), byteEnd: offset };
}
