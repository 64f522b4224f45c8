import type { InputFormat } from './format.js';

/**
 * Where a failed row's error is written, for messages that send the reader
 * there: the `<prefix>_error` column of a CSV or TSV output, the `error`
 * inside the `<prefix>` field of a JSONL object (see csv-format.ts and
 * jsonl-format.ts).
 */
export function errorPlace(format: InputFormat, prefix: string): string {
  return format === 'jsonl' ? `the "error" inside the "${prefix}" field` : `the ${prefix}_error column`;
}

/** For messages about an output whose format is not known to them. */
export const ANY_ERROR_PLACE = 'the error column or field';
