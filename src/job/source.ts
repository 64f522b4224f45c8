import type { JobSettings } from '../config/options.js';
import { csvOutputHeader, formatCsvRecord } from '../io/csv-format.js';
import { readCsvHeader, readCsvRecords, textColumnIndex, type CsvHeader } from '../io/csv-reader.js';
import { defaultDelimiter, detectFormat } from '../io/format.js';
import { formatJsonlRecord } from '../io/jsonl-format.js';
import { readJsonlRecords } from '../io/jsonl-reader.js';
import { openInput } from '../io/open-input.js';
import type { InputRecord, Outcome } from '../io/record.js';

/** The format-specific half of a job: how to read records from an offset and how to write them back. */
export interface Source {
  format: 'csv' | 'tsv' | 'jsonl';
  /** Gzip input: offsets count decompressed bytes, so the file size gives no progress share. */
  compressed: boolean;
  delimiter: string;
  /** Column or field holding the text. */
  text: string;
  /** Where the first record starts (just past a CSV header). */
  firstRecordOffset: number;
  /** Written once at the top of a fresh output ('' for JSONL). */
  outputHeader: string;
  records(startOffset: number, startIndex: number): AsyncIterable<InputRecord>;
  formatRecord(record: InputRecord, outcome: Outcome): string;
}

/** The column or field read when none is named. */
const DEFAULT_TEXT = 'text';

export async function openSource(settings: JobSettings, inputPath: string): Promise<Source> {
  const { format, gzip } = detectFormat(settings.input, settings.format);
  const text = settings.text ?? DEFAULT_TEXT;
  // The readers check UTF-8 themselves, with offsets into the whole input.
  const bytesFrom = (startOffset: number) => openInput(inputPath, { gzip, startOffset });

  if (format === 'jsonl') {
    return {
      format,
      compressed: gzip,
      delimiter: '',
      text,
      firstRecordOffset: 0,
      outputHeader: '',
      records: (startOffset, startIndex) => readJsonlRecords(bytesFrom(startOffset), { textField: text, startOffset, startIndex }),
      formatRecord: (record, outcome) => formatJsonlRecord(record, outcome, { field: settings.prefix }),
    };
  }

  const delimiter = settings.delimiter ?? defaultDelimiter(format);
  const header: CsvHeader = await readCsvHeader(inputPath, { gzip, delimiter });
  textColumnIndex(header, text); // a missing column fails here, at startup, listing the columns
  const formatOptions = { delimiter, prefix: settings.prefix, headerWidth: header.columns.length };
  return {
    format,
    compressed: gzip,
    delimiter,
    text,
    firstRecordOffset: header.byteEnd,
    outputHeader: csvOutputHeader(header, delimiter, settings.prefix),
    records: (startOffset, startIndex) =>
      readCsvRecords(bytesFrom(startOffset), { delimiter, header, textColumn: text, startOffset, startIndex }),
    formatRecord: (record, outcome) => formatCsvRecord(record, outcome, formatOptions),
  };
}
