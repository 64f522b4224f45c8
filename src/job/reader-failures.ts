import { RAGGED_ROW } from '../io/csv-reader.js';
import { JSONL_ROW_CODES } from '../io/jsonl-reader.js';
import { MAX_RECORD_BYTES, RECORD_TOO_LARGE } from '../io/oversized-record.js';
import { STRAY_QUOTE } from '../io/stray-quote.js';

/**
 * Failures found by the readers, with the cause each is said as: the record itself is broken. Their rows count in
 * the share of rows that "could not be read" (error-guard.ts, job-failures.ts), whose message lists these causes, so
 * the list says what the share counts.
 */
const READER_FAILURE_CAUSES: ReadonlyMap<string, string> = new Map([
  [RAGGED_ROW, 'ragged rows'],
  // Rows a stray quote joined into one record: scored, the reviews in it would get no answer of their own.
  [STRAY_QUOTE, 'rows joined by a stray quote'],
  [JSONL_ROW_CODES.invalidJson, 'lines that are not JSON objects'],
  [JSONL_ROW_CODES.notAnObject, 'lines that are not JSON objects'],
  [JSONL_ROW_CODES.missingTextField, 'a missing text field'],
  [JSONL_ROW_CODES.textNotString, 'a text field that is not a string'],
  // Not sent to the model either: scoring it would give the object the answer's key twice (jsonl-reader.ts).
  [JSONL_ROW_CODES.answerFieldExists, 'records that already have the answer field'],
  [RECORD_TOO_LARGE, `records over ${MAX_RECORD_BYTES / 1024 / 1024} MiB`],
]);

/** The reader failure codes (READER_FAILURE_CAUSES). */
export const READER_FAILURES: ReadonlySet<string> = new Set(READER_FAILURE_CAUSES.keys());

/** "ragged rows, lines that are not JSON objects, …": the causes of the rows counted as could not be read. */
export const UNREADABLE_CAUSES = [...new Set(READER_FAILURE_CAUSES.values())].join(', ');
