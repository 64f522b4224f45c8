import { RAGGED_ROW } from '../io/csv-reader.js';
import { JSONL_ROW_CODES } from '../io/jsonl-reader.js';
import { RECORD_TOO_LARGE } from '../io/oversized-record.js';
import { tooLargeCause } from '../io/record-bound.js';
import { STRAY_QUOTE } from '../io/stray-quote.js';

/**
 * Failures found by the readers, with the cause each is said as: the record itself is broken. Their rows count in
 * the share of rows that "could not be read" (error-guard.ts, job-failures.ts), whose message lists these causes, so
 * the list says what the share counts.
 */
const READER_FAILURE_CAUSES: ReadonlyMap<string, { cause: string | (() => string); of: 'csv' | 'jsonl' | 'both' }> = new Map([
  [RAGGED_ROW, { cause: 'ragged rows', of: 'csv' }],
  // Rows a stray quote joined into one record: scored, the reviews in it would get no answer of their own.
  [STRAY_QUOTE, { cause: 'rows joined by a stray quote', of: 'csv' }],
  [JSONL_ROW_CODES.invalidJson, { cause: 'lines that are not JSON objects', of: 'jsonl' }],
  [JSONL_ROW_CODES.notAnObject, { cause: 'lines that are not JSON objects', of: 'jsonl' }],
  [JSONL_ROW_CODES.missingTextField, { cause: 'a missing text field', of: 'jsonl' }],
  [JSONL_ROW_CODES.textNotString, { cause: 'a text field that is not a string', of: 'jsonl' }],
  // Not sent to the model either: scoring it would give the object the answer's key twice (jsonl-reader.ts).
  [JSONL_ROW_CODES.answerFieldExists, { cause: 'records that already have the answer field', of: 'jsonl' }],
  // Asked when said: a resume may judge records under the job's memory limit rather than this process's (record-bound.ts).
  [RECORD_TOO_LARGE, { cause: tooLargeCause, of: 'both' }],
]);

/** The reader failure codes (READER_FAILURE_CAUSES). */
export const READER_FAILURES: ReadonlySet<string> = new Set(READER_FAILURE_CAUSES.keys());

/**
 * "ragged rows, rows joined by a stray quote, …": the causes of the rows counted as could not be read, those a file of
 * `format` can have (a JSONL run's exit 5 listed ragged rows and stray quotes, which only a CSV has); all, unknown.
 */
export function unreadableCauses(format?: 'csv' | 'jsonl'): string {
  const causes = [...READER_FAILURE_CAUSES.values()].filter(({ of }) => format === undefined || of === 'both' || of === format);
  return [...new Set(causes.map(({ cause }) => (typeof cause === 'function' ? cause() : cause)))].join(', ');
}

