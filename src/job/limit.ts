import type { InputRecord } from '../io/record.js';

/**
 * The records of a `--limit N` run: the first N records and the blank lines
 * between them, nothing after the Nth. Indexes count records from the start of
 * the input, so a resumed run stops at the same record as a fresh one. Returning
 * early closes the reader (and its file).
 */
export async function* firstRecords(records: AsyncIterable<InputRecord>, limit: number | undefined): AsyncGenerator<InputRecord> {
  if (limit === undefined) {
    yield* records;
    return;
  }
  for await (const record of records) {
    // A blank line carries the next record's index: one after the Nth record is past the limit too.
    if (record.index >= limit) return;
    yield record;
  }
}
