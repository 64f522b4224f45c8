import type { CsvEscape, CsvQuote } from './csv-dialect.js';
import type { CsvHeader } from './csv-header.js';
import type { InputRecord } from './record.js';
import type { StrayQuote } from './stray-quote.js';

/** Options of readCsvRecords (csv-reader.ts). */
export interface CsvRecordOptions {
  /** Field delimiter, one character; the same one the header was read with. */
  delimiter: string;
  /** How a quote is written inside a quoted cell (--escape; default quote, RFC 4180); the header was read with the same. */
  escape?: CsvEscape;
  /** --quote none: no cell is quoted, a backslash escapes (unquoted-cells.ts); needs escape 'backslash'. Default `"`. */
  quote?: CsvQuote;
  /** The file's first rows quote no cell (unquoted-look.ts): a stray or open quote's advice names --quote none. */
  looksUnquoted?: boolean;
  header: CsvHeader;
  /** Name of the column holding the text to score; several are joined (text-parts.ts). */
  textColumn: string | readonly string[];
  /**
   * Absolute offset (decompressed input) of the stream's first byte: `header.byteEnd`
   * for a fresh run, a record's `byteEnd` when resuming. Must be a record boundary.
   */
  startOffset: number;
  /** Index of the first data record in the stream (0 for a fresh run). */
  startIndex: number;
  /** Also hand over every field of each record (the report reads several columns). */
  keepFields?: boolean;
  /** Shown the fields of each record that has the header's width (a look at other columns, without keeping them). */
  onFields?: (fields: readonly string[]) => void;
  /**
   * Fail each record whose quoted cell ran across a line break and closed mid-text (stray-quote.ts): `stray_quote`,
   * its message naming the lines it spans. `lineAt` gives the line of a byte when the reader does not know it (it
   * started past the header); `onFound` is told of each such record.
   */
  strayQuotes?: { lineAt: (byte: number) => Promise<number>; onFound?: (at: StrayQuote) => void };
  /** Told of each row a backslash-escaped export split in records read as one (backslash-continuation.ts); default escape only. */
  onBackslashRow?: (record: InputRecord) => void;
  /** Told of each record with a quote doubled in a quoted cell (doubled-quotes.ts); --escape backslash only. */
  onDoubledQuote?: (record: InputRecord) => void;
}
