import type { InputRecord } from './record.js';

/**
 * `record` as it was read where its file ended at `offset`, when it now goes on only by a line ending (LF, CRLF, or in
 * a CR-only CSV a lone CR) after that offset; otherwise `record` as it is. Its raw bytes without that ending are what the output's row was made from.
 *
 * An exporter that writes no line ending after its last row gives, the next night, yesterday's bytes, a line ending,
 * then the new rows (grown-input.ts continues such a job). Read again, yesterday's last row now ends one line ending
 * further on, yet it is the same record: the checkpoint's proof of the last row (prove-checkpoint.ts) and the list of
 * failed rows, which records that row's range as its file ended it (verify-list.ts, mend.ts), take it back to that end.
 * The line ending itself stays in the output after the row, where the continuing run wrote it (a blank line passed
 * through), so a mended row written without it gives the bytes of a fresh run. So too a CRLF export cut between the CR
 * and the LF of its last row: read ending in the lone CR then, it now ends with the LF after it; taken back to the CR,
 * the output's row keeps it, and the LF passed through completes the CRLF a fresh run writes.
 */
export function withoutEndingAt(record: InputRecord, offset: number): InputRecord {
  const extra = record.byteEnd - offset;
  // One byte: an LF, or a lone CR where a CR ends records (a CR-only export, CSV/TSV: in JSONL a CR ends no record).
  const ending = extra === 1 ? (record.raw.endsWith('\r') ? '\r' : '\n') : extra === 2 ? '\r\n' : undefined;
  // A row read ending in a lone CR at its file's end, and now in CRLF (`ending` the LF alone): the CRLF export cut
  // between the two, the same record read as it was then, its CR kept. A CR before a whole CRLF is no such cut.
  if (ending === undefined || record.passThrough === true || !record.raw.endsWith(ending) || record.raw.endsWith(`\r\r\n`)) return record;
  return { ...record, raw: record.raw.slice(0, -ending.length), byteEnd: offset };
}
