import type { InputRecord } from '../io/record.js';

/**
 * The records of a `--limit N` run: the first N records and the blank lines
 * between them, nothing after the Nth. Indexes count records from the start of
 * the input, so a resumed run stops at the same record as a fresh one. Returning
 * early closes the reader (and its file).
 *
 * `endingOwed`: the row before the start was read at the end of its file without a line ending, and has one now
 * (owed-ending.ts). The reader started after that row reads the line ending as a blank line, carrying the next record's
 * index, past the limit when that row was the Nth: it is that row's ending, which a fresh run writes with the row, so it
 * is passed through.
 */
export async function* firstRecords(records: AsyncIterable<InputRecord>, limit: number | undefined, endingOwed = false): AsyncGenerator<InputRecord> {
  if (limit === undefined) {
    yield* records;
    return;
  }
  let first = endingOwed;
  for await (const record of records) {
    const owed = first && lineEndingAlone(record);
    first = false;
    // A blank line carries the next record's index: one after the Nth record is past the limit too.
    if (record.index >= limit && !owed) return;
    yield record;
  }
}

/** A lone CR too: a CR-only export (CSV/TSV) ends its last row so (same-input.ts `cr-ended`); its output had none. */
function lineEndingAlone(record: InputRecord): boolean {
  return record.passThrough === true && (record.raw === '\n' || record.raw === '\r\n' || record.raw === '\r');
}
