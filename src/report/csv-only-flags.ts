import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';

/**
 * `report`'s CSV flags given for a JSONL scored file: accepted, as score and estimate accept them for a JSONL input
 * (a command shared between files should not fail), but never silently: one line each, in score's words
 * (job/ignored-settings.ts), so a user who expected --escape backslash to change the reading learns it did nothing.
 */
export function csvOnlyFlagWarnings(given: { delimiter: string | undefined; escape?: CsvEscape | undefined; quote?: CsvQuote | undefined }): string[] {
  const warnings: string[] = [];
  if (given.delimiter !== undefined) warnings.push('--delimiter is ignored: the scored file is JSONL, which has no delimiter');
  if (given.escape !== undefined) warnings.push('--escape is ignored: the scored file is JSONL, whose strings escape their quotes as JSON does');
  if (given.quote !== undefined) warnings.push('--quote is ignored: the scored file is JSONL, whose strings are always quoted');
  return warnings;
}
