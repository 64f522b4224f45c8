import { BackslashContinuations } from './backslash-continuation.js';
import type { CsvRecordOptions } from './csv-record-options.js';
import { hasDoubledQuote } from './doubled-quotes.js';
import { EscapedLineBreaks } from './escaped-line-breaks.js';
import type { InputRecord } from './record.js';

/**
 * What the records read are looked at for before they are handed on: a row a backslash-escaped export split in two
 * (read as RFC 4180), a line break escaped in an unquoted cell (read with --escape backslash), a doubled quote (an RFC
 * 4180 file given --escape backslash). The first two hold records back until the row is whole.
 */
export class CsvRowMarks {
  private readonly continuations: BackslashContinuations | undefined;
  private readonly escapedBreaks: EscapedLineBreaks | undefined;
  private readonly doubledQuote: ((record: InputRecord) => void) | undefined;

  constructor(
    private readonly options: CsvRecordOptions,
    width: number,
  ) {
    const unquoted = options.quote === 'none';
    // Read as RFC 4180, a backslash-escaped export can split a row in two: never score its half (backslash-continuation.ts).
    this.continuations = options.escape === 'backslash' || unquoted ? undefined : new BackslashContinuations(options.delimiter, width, options.onBackslashRow);
    // Read with them, a line break escaped in an unquoted cell still ends a record: never score a part of its row (escaped-line-breaks.ts).
    this.escapedBreaks = options.escape === 'backslash' && !unquoted ? new EscapedLineBreaks(options.delimiter) : undefined;
    // An RFC 4180 file given --escape backslash: its doubled quotes stay in the texts, said once (doubled-quotes.ts).
    this.doubledQuote = options.escape === 'backslash' && !unquoted ? options.onDoubledQuote : undefined;
  }

  /** The records to hand on for `record`: itself, or none while held, or the held ones. */
  marked(record: InputRecord): InputRecord[] {
    return this.looked(this.continuations?.push(record) ?? this.escapedBreaks?.push(record) ?? [record]);
  }

  /** At the input's end: the records still held. */
  end(): InputRecord[] {
    return this.looked(this.continuations?.end() ?? this.escapedBreaks?.release() ?? []);
  }

  /** Before an error is thrown: the records still held, as they were read (a row of escaped line breaks as one, failed). */
  release(): InputRecord[] {
    return this.continuations?.release() ?? this.escapedBreaks?.release() ?? [];
  }

  /** The records handed on, each with a doubled quote told of first. */
  private looked(records: InputRecord[]): InputRecord[] {
    const doubledQuote = this.doubledQuote;
    if (doubledQuote !== undefined) for (const record of records) if (hasDoubledQuote(record.raw, this.options.delimiter)) doubledQuote(record);
    return records;
  }
}
