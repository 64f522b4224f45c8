import { hasColumn, textColumnIndex } from '../io/csv-header.js';
import type { TextNamed } from '../io/text-parts.js';
import { ColumnLengths } from './column-lengths.js';
import { readInputRecords, type CsvInput } from './csv-sample.js';
import { unendedHeaderCut, withUnendedHeader } from '../io/unended-header.js';
import { SAMPLE_RECORDS } from './jsonl-sample.js';
import { refuseNumbersAsText } from './numbers-as-text.js';
import { pastLimit, withinLimit } from './limit-sample.js';
import { CommaDecimalCells } from './decimal-comma.js';

/**
 * Each text column must be in the header. A missing one stops the run (or the report) at
 * startup with the columns listed and, as for a JSONL field (jsonl-fields.ts), the likeliest
 * one: a near name, else the column whose first values are longest. `named` is false for the
 * default `text`, else the flag that named it (text-parts.ts); `skip` leaves columns out of the guess (the sentiment columns of a scored file).
 */
export async function checkTextColumns(input: CsvInput, text: readonly string[], named: TextNamed, skip: (column: string) => boolean = () => false): Promise<void> {
  for (const name of text) {
    // Present (or twice: ambiguous, refused by textColumnIndex): no guess is needed.
    if (hasColumn(input.header, name)) {
      textColumnIndex(input.header, name, { named, change: input.change, file: { path: input.shownAs ?? input.path, gzip: input.gzip } });
      continue;
    }
    // A header with no line ending may be an export cut short inside it ('id,te' of 'id,text'): said so (unended-header.ts).
    const cut = unendedHeaderCut(input.header, name, named);
    if (cut !== undefined) throw cut;
    const { likely, alsoLikely, next, sampled, texts } = await longestTextColumn(input, skip);
    // The others named, when all are there: this one is to be dropped, not another named in its place.
    const others = text.filter((other) => other !== name);
    const kept = others.every((other) => hasColumn(input.header, other)) ? others : undefined;
    try {
      textColumnIndex(input.header, name, { named, likely, alsoLikely, next, sampled, texts, change: input.change, ...(kept ? { kept } : {}) });
    } catch (error) {
      throw withUnendedHeader(error, input.header);
    }
  }
}

/**
 * The index of the column whose values are longest on average over the first records: where a review's text usually is;
 * and the first record, whose shape tells a headerless export's first record, read as the header (record-header.ts).
 */
async function longestTextColumn(
  input: CsvInput,
  skip: (column: string) => boolean,
): Promise<{ likely: number | undefined; alsoLikely: number | undefined; next: string[] | undefined; sampled: string[][]; texts: string[] }> {
  const { header } = input;
  const lengths = new ColumnLengths(header.columns);
  let next: string[] | undefined;
  // The first records, whose cells tell whether a one-column header's other delimiter separates the rows too (csv-header.ts).
  const sampled: string[][] = [];
  try {
    // Any column that exists will do as the text column: only the fields are read.
    const records = readInputRecords(input, { textColumn: header.columns[0]!, keepFields: true });
    for await (const record of records) {
      if (record.passThrough === true || record.fields === undefined) continue;
      next ??= record.fields;
      if (sampled.length < RECORDS_FOR_DELIMITER) sampled.push(record.fields);
      lengths.add(record.fields);
      if (lengths.rows >= SAMPLE_RECORDS) break;
    }
  } catch {
    // Only a hint for a message already on its way: an unreadable input is reported when it is read.
  }
  const likely = lengths.longestIndex(skip);
  const texts = lengths.textColumns().filter((column) => !skip(column));
  return { likely, alsoLikely: likely === undefined ? undefined : lengths.alsoLongIndex(likely, skip), next, sampled, texts };
}

/** Records enough to tell a delimiter every row has from a character some reviews hold. */
const RECORDS_FOR_DELIMITER = 20;

/** The first records' texts as the job would send them, and their columns' lengths (for the advice naming the longest). */
export interface ColumnSample {
  texts: string[];
  /** The first cell outside the text columns written with a decimal comma (`4,5`), if any (decimal-comma.ts). */
  commaDecimal: { column: string; cell: string } | undefined;
  /** The record index of each of `texts` (0 the first record after the header): a --limit run scores only some. */
  indexes: number[];
  lengths: ColumnLengths;
}

const SAMPLE_BYTES = 4 * 1024 * 1024;

/**
 * The texts of the first SAMPLE_RECORDS records (at most SAMPLE_BYTES of them), read once more as the job's reader will;
 * undefined when the input cannot be read (reported when the job reads it, with its place). One read serves every
 * start-up check of the texts (refuseNumericTextColumns, the warnings of text-look.ts and backslash-null.ts).
 */
export async function sampleColumnTexts(input: CsvInput, text: readonly string[]): Promise<ColumnSample | undefined> {
  const texts: string[] = [];
  const indexes: number[] = [];
  const lengths = new ColumnLengths(input.header.columns);
  const commas = new CommaDecimalCells(input.header.columns, text, input.delimiter);
  try {
    const records = readInputRecords(input, { textColumn: text, onFields: (fields) => {
      lengths.add(fields);
      commas.add(fields);
    } });
    for await (const record of records) {
      if (record.passThrough === true) continue;
      if (record.text.ok) {
        texts.push(record.text.value);
        indexes.push(record.index);
      }
      // A few records of megabytes each say as much as a hundred.
      if (record.index + 1 >= SAMPLE_RECORDS || record.byteEnd - input.header.byteEnd > SAMPLE_BYTES) break;
    }
  } catch {
    return undefined;
  }
  return { texts, indexes, lengths, commaDecimal: commas.first };
}

/**
 * The text columns' values in the first records a run scores (below `limit`) must not all be numbers (numbers-as-text.ts;
 * those past the limit only confirm it); a job's check, not the report's.
 */
export function refuseNumericTextColumns(sample: ColumnSample, text: readonly string[], named: TextNamed, allow: string, limit?: number): void {
  const scored = withinLimit(sample.texts, sample.indexes, limit);
  const past = limit === undefined ? undefined : { texts: pastLimit(sample.texts, sample.indexes, limit) };
  refuseNumbersAsText(scored, { jsonl: false, names: text, named, allow, ...(past ? { past } : {}) }, () =>
    sample.lengths.longest((column) => column.trim() === '' || text.includes(column)),
  );
}
