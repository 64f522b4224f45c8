import { lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { textSetting, type TextNamed } from '../io/text-parts.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { mayBeReview } from './column-lengths.js';
import { fieldPaths, longestTextField, meanTextLength, nameablePaths } from './jsonl-fields.js';
import type { FieldsFurtherOn } from './field-look-ahead.js';
import type { JsonlSample } from './jsonl-sample.js';

/**
 * A text field left out of most sampled records while another field holds text in them: the line saying so (the
 * start-up warn line and the summary's `warning`), undefined otherwise.
 *
 * The left-out rule (left-out-fields.ts) reads a field some records lack as no text, for BigQuery's NULLs. It let a
 * mistyped field pass quietly: `--text-field title` on a file whose reviews are in `review` and whose `title` a few
 * records happen to have ended "Done", exit 0, nearly every row skipped as empty_text (before the rule: exit 5, "check
 * --text-field"). The outcome stays, as it may be right; the run says why it may not be, where a monitor reads it.
 *
 * Said only when all of these hold, each against a real export that must not hear it every night:
 * - the field is left out of more than half of the sampled records: then most rows end skipped, and the output is
 *   mostly no answer. Below that, most rows are scored from the field, the file's usual text, not a stray one.
 * - another field holds text with a letter and no code (mayBeReview: not an id, a date, a rating) in the records that
 *   lack it: an export of ratings, most without a review, has nothing else to offer.
 * - that field's texts are longer on average than the named field's where it has them: an app store's short titles
 *   beside a review body left out of most records are no sign of a wrong field, since the body holds the longest texts
 *   (the project's guess of where reviews are, as in every "holds text" advice: longestTextField).
 */
export function leftOutWarning(sample: JsonlSample, fields: readonly string[], leftOut: ReadonlySet<string>, named: TextNamed, further?: FieldsFurtherOn): string | undefined {
  const sampled = sample.objects.length;
  // A field none of the sampled records has is judged by its texts in the first records further on that have it.
  const having = further === undefined ? sample.objects : [...sample.objects, ...further.having];
  for (const field of fields) {
    if (!leftOut.has(field)) continue;
    const path = parseDottedPath(field);
    const lacking = sample.objects.filter((object) => {
      const found = lookupPath(object, path);
      return !found.found && found.absent === 'key';
    });
    if (lacking.length * 2 <= sampled) continue;
    const others = nameablePaths(fieldPaths(lacking)).filter((other) => !fields.includes(other));
    const other = longestTextField(lacking, others, mayBeReview);
    if (other === undefined || meanTextLength(lacking, other, mayBeReview) <= meanTextLength(having, field, mayBeReview)) continue;
    const words = textSetting(named, true);
    // Lines that are no JSON object are in the sample's records, not among the objects judged.
    const first = sampled === sample.records ? `the first ${groupedNumber(sampled)} records` : `the ${groupedNumber(sampled)} JSON objects among the first ${groupedNumber(sample.records)} records`;
    const where = `left out of ${groupedNumber(lacking.length)} of ${first}`;
    return `${words.given(field)} is ${where}, whose rows are skipped as no text (empty_text); the field '${other}' holds text in them: if it holds the reviews, ${words.use(other, field)}`;
  }
  return undefined;
}
