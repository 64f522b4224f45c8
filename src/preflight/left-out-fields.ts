import { lookupPath, parseDottedPath } from '../io/dotted-path.js';
import type { FieldsFurtherOn } from './field-look-ahead.js';
import type { JsonlSample } from './jsonl-sample.js';

/**
 * The text fields the export leaves out of a record when it has no value: each one some record has, among the first
 * records (the startup sample) or further on (`further`, field-look-ahead.ts). A record without such a field has no
 * text, as `"body": null` has none, and is skipped (`empty_text`), wherever it is in the file.
 *
 * BigQuery's JSON export leaves a NULL field out instead of writing `null` (so do Go's `omitempty` and protobuf's JSON):
 * a star rating without a review comes out without `review.body`. Read as a failure (`missing_text_field`), an export
 * where most ratings carry no review stopped with exit 5, "could not be read". Until 2026-12-05 the rule held only when
 * the sample itself had records with and without the field: an export whose first 100 records all had a review failed
 * its later NULLs row by row (exit 5 when dense enough for the error guard), though they were the same NULLs. A field
 * no record has is a wrong name, refused before this (checkTextFields); one few have is warned of (left-out-warning.ts).
 *
 * Decided from the sample and the look, not record by record, and these are the same at every start of a job: a
 * resumed run reads each record as the first did.
 */
export function leftOutFields(sample: JsonlSample, fields: readonly string[], further?: FieldsFurtherOn): ReadonlySet<string> {
  const leftOut = new Set<string>();
  for (const field of fields) {
    const path = parseDottedPath(field);
    if (further?.found.has(field) === true || sample.objects.some((object) => lookupPath(object, path).found)) leftOut.add(field);
  }
  return leftOut;
}
