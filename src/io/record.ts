import type { RowFailure } from '../errors.js';

/**
 * One input record as the readers hand it to the pipeline.
 * `byteEnd` is the offset in the (decompressed) input just past this record,
 * so a resume can seek there.
 */
export interface InputRecord {
  /** 0-based position among data records (header and blank lines excluded). */
  index: number;
  /** Byte offset in the decompressed input just past this record (and its line ending). */
  byteEnd: number;
  /** The text to score, or a per-row failure found while reading (ragged row, bad JSON...). */
  text: { ok: true; value: string } | { ok: false; failure: RowFailure };
  /** Format-specific payload the matching writer needs to reproduce the record byte for byte. */
  raw: string;
  /**
   * A record over the bound the reader parses (record-bound.ts, oversized-record.ts): its bytes before `raw`,
   * kept as buffers and copied to the output unchanged, ahead of the formatted `raw`.
   */
  rawHead?: Buffer[];
  /** Fields of a CSV record whose text the writer cannot count them from: an oversized one (never parsed), a short blank row. */
  fieldCount?: number;
  /**
   * Lines that carry no record and are passed through unchanged
   * (a blank JSONL line): written as-is, not counted, not scored.
   */
  passThrough?: boolean;
  /** Every field of a CSV/TSV record, when the reader was asked to keep them (`keepFields`). */
  fields?: string[];
  /**
   * JSONL: the record has no text because a text field is left out of it (preflight/left-out-fields.ts, an export's NULL),
   * not because it is null or blank: counted apart in the summary (run-tally.ts), so a renamed field shows.
   */
  textLeftOut?: true;
  /** JSONL: the record has no text because its text field (or an object on its path) holds null, told as such (row-plan.ts). */
  textNull?: true;
  /**
   * CSV/TSV: every field of the record is empty (`,,,,`), as a spreadsheet's export writes the rows it kept after its
   * last review (cleared or formatted, not deleted), or it is fewer delimiters alone (`,,`: Excel's, csv-row.ts isBlankRow):
   * skipped as an empty text, counted apart in the summary (run-tally.ts).
   */
  blankRow?: true;
  /** The parsed JSONL object, when the reader was asked to keep it (`keepValue`). */
  value?: Record<string, unknown>;
}

/**
 * Reader failure codes of records that are no data: a CSV header repeated where files were joined (`cat a.csv b.csv`,
 * csv-reader.ts's REPEATED_HEADER). Skipped, as an empty text is, not failed: joined exports most of them a header
 * alone (a quiet day) are no broken input, and as failures they made such a job exit 5 under any --max-error-rate.
 */
export const NOT_DATA_CODES: ReadonlySet<string> = new Set(['repeated_header']);

/** A record that holds no data: a blank line (passed through) or a row of a NOT_DATA_CODES code (a repeated header). */
export function holdsNoData(record: InputRecord): boolean {
  return record.passThrough === true || (!record.text.ok && NOT_DATA_CODES.has(record.text.failure.code));
}

/** The outcome of a record its reader gave no text for: failed, or skipped when it is no data (NOT_DATA_CODES). */
export function readerOutcome(failure: RowFailure): Outcome {
  return NOT_DATA_CODES.has(failure.code) ? { kind: 'skipped', failure } : { kind: 'failed', failure };
}

/** A record's outcome: exactly one per input record. */
export type Outcome =
  | {
      kind: 'scored';
      label: 'POSITIVE' | 'NEGATIVE';
      positive: number;
      negative: number;
      /** The text was cut to the model's 512-token window before scoring. */
      truncated?: boolean;
      /** Answered from the result cache of an earlier run. */
      cached?: boolean;
      /** Answered by the request of an earlier row with the same text (in this run, or in an earlier run: its answer kept in the journal). */
      duplicate?: boolean;
      /** Answered by the request an earlier run sent for this very row (its answer kept in the journal): no request of this run. */
      earlier?: boolean;
    }
  | { kind: 'skipped'; failure: RowFailure }
  | {
      kind: 'failed';
      failure: RowFailure;
      /** The failure of an earlier row with the same text in this run: this row sent no request of its own. */
      duplicate?: boolean;
      /** Refused for the request an earlier run sent for this very row (kept in the journal): no request of this run. */
      earlier?: boolean;
    };
