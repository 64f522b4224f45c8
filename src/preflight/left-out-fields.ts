import { lookupPath, parseDottedPath } from '../io/dotted-path.js';
import type { JsonlSample } from './jsonl-sample.js';

/**
 * The text fields that the export leaves out of a record when it has no value: among the first records (the startup
 * sample), some have the field and some do not have it at all.
 *
 * BigQuery's JSON export leaves a NULL field out instead of writing `null` (so do Go's `omitempty` and protobuf's JSON):
 * a star rating without a review comes out without `review.body`. Such a record has no text, as `"body": null` has none,
 * and is skipped (`empty_text`). Read as a failure (`missing_text_field`), an export where most ratings carry no review
 * stopped with exit 5, "could not be read".
 *
 * Judged on the sample, not record by record: a field that every one of the first records has and that later records
 * lack is a field renamed or a file changed (another export appended), and those records still fail, counting toward
 * --max-error-rate. The sample is the same on every start of a job, so a resumed run reads each record as the first did.
 */
export function leftOutFields(sample: JsonlSample, fields: readonly string[]): ReadonlySet<string> {
  const leftOut = new Set<string>();
  for (const field of fields) {
    const path = parseDottedPath(field);
    let having = false;
    let lacking = false;
    for (const object of sample.objects) {
      const found = lookupPath(object, path);
      if (found.found) having = true;
      // Left out, not null: null on the path is no text anyway (jsonl-reader.ts), and says nothing of the export.
      else if (found.absent === 'key') lacking = true;
    }
    if (having && lacking) leftOut.add(field);
  }
  return leftOut;
}
