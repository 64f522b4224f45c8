/**
 * A JSONL field's value as the report reads it (a group, a date, a rating, a value --by could name): a string, or a
 * number or boolean written out; else (null, an object, an array) none. score's check of the report's values before a
 * run (preflight/report-values.ts) reads them with it too, so that what it judges is what the report will read.
 */
export function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
