import type { RowFailure } from '../errors.js';
import { countLineBreaks } from './csv-dialect.js';
import { CR, LF } from './csv-bytes.js';
import type { CsvRecordOptions } from './csv-record-options.js';
import type { InputRecord } from './record.js';
import { strayQuoteFailure, type StrayQuote } from './stray-quote.js';

/**
 * The lines a stray quote's record spans, for its failure's message (stray-quote.ts). A reader that started past the
 * header knows no line yet: the record is held until its line is looked up (`lineAt`), once it is handed on.
 */
export class StrayQuotePlaces {
  /** A stray quote's record handed on before its line was known: placed() fills it in. */
  private unplaced: { record: InputRecord; byte: number; bytes: Buffer; lines: number } | undefined;

  constructor(private readonly options: Pick<CsvRecordOptions, 'strayQuotes' | 'escape' | 'looksUnquoted'>) {}

  /** A stray quote's failure, its lines from the first one on; onFound told. */
  failure(first: number, bytes: Buffer, lines: number): RowFailure {
    // The record's own line ending ends its last line, not one more.
    const ended = bytes.at(-1) === LF || bytes.at(-1) === CR;
    const at: StrayQuote = { line: first, lastLine: first + countLineBreaks(bytes) - (ended ? 1 : 0), lines };
    this.options.strayQuotes?.onFound?.(at);
    return strayQuoteFailure(at, this.options);
  }

  /** Holds `record`, which starts at `byte` on a line not known yet, until placed() looks its line up. */
  hold(record: InputRecord, byte: number, bytes: Buffer, lines: number): void {
    this.unplaced = { record, byte, bytes, lines };
  }

  /** Whether a record waits for its line. */
  get holding(): boolean {
    return this.unplaced !== undefined;
  }

  /** The record held, with its lines; `cursor.line` is known from here on. Any other record is returned as it is. */
  async placed(record: InputRecord, cursor: { line: number | undefined }): Promise<InputRecord> {
    if (this.unplaced?.record !== record) return record;
    const { byte, bytes, lines } = this.unplaced;
    this.unplaced = undefined;
    const first = await (this.options.strayQuotes as NonNullable<CsvRecordOptions['strayQuotes']>).lineAt(byte);
    cursor.line = first + countLineBreaks(bytes);
    record.text = { ok: false, failure: this.failure(first, bytes, lines) };
    return record;
  }
}
