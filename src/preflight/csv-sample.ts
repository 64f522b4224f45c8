import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';
import type { CsvHeader, InputSettingChange } from '../io/csv-header.js';
import { readCsvRecords, type CsvRecordOptions } from '../io/csv-reader.js';
import type { InputRecord } from '../io/record.js';
import { openInput } from '../io/open-input.js';

/** A CSV input as the start-up checks read it: its path, its dialect and its header. */
export interface CsvInput {
  path: string;
  /** The input as the user gave it (`-` for standard input's copy), which a read error names; @default path */
  shownAs?: string;
  gzip: boolean;
  delimiter: string;
  /** How a quote is written inside a quoted cell (--escape); default quote. */
  escape?: CsvEscape;
  /** --quote none: no cell is quoted (io/unquoted-cells.ts); default `"`. */
  quote?: CsvQuote;
  header: CsvHeader;
  /** How a message says to change the delimiter or the format, when a job file gave it. */
  change?: InputSettingChange;
}

/**
 * The input's records from just after its header, read in its dialect as the job's reader will read them: what the
 * start-up checks sample (the longest column, numbers as text, the report's columns). The caller stops when it has
 * seen enough; `read` says which text column the records carry and what else is kept of them.
 */
export function readInputRecords(input: CsvInput, read: Pick<CsvRecordOptions, 'textColumn' | 'keepFields' | 'onFields'>): AsyncGenerator<InputRecord> {
  const { header } = input;
  return readCsvRecords(openInput(input.path, { gzip: input.gzip, startOffset: header.byteEnd, label: input.shownAs ?? input.path }), {
    delimiter: input.delimiter,
    ...(input.escape !== undefined ? { escape: input.escape } : {}),
    ...(input.quote !== undefined ? { quote: input.quote } : {}),
    header,
    startOffset: header.byteEnd,
    startIndex: 0,
    ...read,
  });
}
