import { hasColumn, textColumnIndex, type CsvHeader } from '../io/csv-header.js';
import { readCsvRecords } from '../io/csv-reader.js';
import { openInput } from '../io/open-input.js';
import { ColumnLengths } from './column-lengths.js';
import { SAMPLE_RECORDS } from './jsonl-sample.js';

export interface CsvInput {
  path: string;
  gzip: boolean;
  delimiter: string;
  header: CsvHeader;
}

/**
 * Each text column must be in the header. A missing one stops the run (or the report) at
 * startup with the columns listed and, as for a JSONL field (jsonl-fields.ts), the likeliest
 * one: a near name, else the column whose first values are longest. `named` is false for the
 * default `text`; `skip` leaves columns out of the guess (the sentiment columns of a scored file).
 */
export async function checkTextColumns(input: CsvInput, text: readonly string[], named: boolean, skip: (column: string) => boolean = () => false): Promise<void> {
  for (const name of text) {
    // Present (or twice: ambiguous, refused by textColumnIndex): no guess is needed.
    if (hasColumn(input.header, name)) {
      textColumnIndex(input.header, name, { named });
      continue;
    }
    textColumnIndex(input.header, name, { named, likely: await longestTextColumn(input, skip) });
  }
}

/** The index of the column whose values are longest on average over the first records: where a review's text usually is. */
async function longestTextColumn(input: CsvInput, skip: (column: string) => boolean): Promise<number | undefined> {
  const { header } = input;
  const lengths = new ColumnLengths(header.columns);
  try {
    // Any column that exists will do as the text column: only the fields are read.
    const records = readCsvRecords(openInput(input.path, { gzip: input.gzip, startOffset: header.byteEnd }), {
      delimiter: input.delimiter,
      header,
      textColumn: header.columns[0]!,
      startOffset: header.byteEnd,
      startIndex: 0,
      keepFields: true,
    });
    for await (const record of records) {
      if (record.passThrough === true || record.fields === undefined) continue;
      lengths.add(record.fields);
      if (lengths.rows >= SAMPLE_RECORDS) break;
    }
  } catch {
    // Only a hint for a message already on its way: an unreadable input is reported when it is read.
  }
  return lengths.longestIndex(skip);
}
