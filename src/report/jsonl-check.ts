import { ConfigError, InputError } from '../errors.js';
import { isPlainObject, lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { nameWithWord, nearestName } from '../io/nearest-name.js';
import type { TextNamed } from '../io/text-parts.js';
import { lookFurtherFor } from '../preflight/field-look-ahead.js';
import { checkTextFields, fieldPaths, nameablePaths, notInSample, refuseObjectTextFields } from '../preflight/jsonl-fields.js';
import { Utf16InputError } from '../io/utf16-advice.js';
import { SAMPLE_RECORDS, sampledLines, sampleJsonl, utf16Look, type JsonlSample } from '../preflight/jsonl-sample.js';
import { noneOfTheFirst } from '../wording/counted.js';
import { withExamplesAdvice } from './text-advice.js';
import { refuseObjectField, takenAsValue } from './object-field.js';

/** A field the report was asked to read (`--by meta.hotel`), with the flag that named it. */
export interface NamedField {
  flag: string;
  field: string | undefined;
}

export interface ScoredJsonlCheck {
  gzip: boolean;
  text: readonly string[];
  /** False when the text field is the default `text`, for the hint; else the flag that named it (io/text-parts.ts). */
  textNamed: TextNamed;
  /** The text is the default or the run's: a refusal of it says that --examples 0 needs none (text-advice.ts). */
  adviseExamples: boolean;
  prefix: string;
  fields: readonly NamedField[];
}

/**
 * A JSONL file has no header to check, so the report looks at the same startup
 * sample `score` does (the first SAMPLE_RECORDS non-blank lines): a file none of
 * whose sampled records has the sentiment field is not a scored file (exit 3),
 * and a field that none of them has, or that is an object in all of them, is a wrong name (exit 2). Without this the
 * report of a wrong file or field is "all rows failed" or silently empty, exit 0.
 */
export async function checkScoredJsonl(path: string, check: ScoredJsonlCheck): Promise<void> {
  const sample = await sampleJsonl(path, check.gzip, check.text);
  refuseUnscoredJsonl(sample, check.prefix);
  // The answers score added are no review text to suggest (as the sentiment columns of a CSV are not); a text named
  // under them is looked for where it is.
  const underAnswers = check.text.some((field) => field === check.prefix || field.startsWith(`${check.prefix}.`));
  const reviews = underAnswers ? sample : { ...sample, objects: sample.objects.map(({ [check.prefix]: _answer, ...fields }) => fields) };
  // A text field none of the first records has is looked for further on, as score looked for it (field-look-ahead.ts).
  const further = await lookFurtherFor(path, check.gzip, check.text, reviews);
  await withExamplesAdvice(check.adviseExamples, () => {
    checkTextFields(reviews, check.text, check.textNamed, further);
    refuseObjectTextFields(reviews, check.text, check.textNamed);
  });
  checkNamedFields(sample, check.fields, undefined, check.prefix);
}

function refuseUnscoredJsonl(sample: JsonlSample, prefix: string): void {
  const lines = Math.min(sampledLines(sample), SAMPLE_RECORDS);
  if (sample.objects.length === 0) {
    const none = `this is not a scored file: ${noneOfTheFirst(lines, 'line')} a JSON object`;
    // UTF-16 without a mark (with one, the UTF-8 check refuses it first): the conversion, as score gives it; the
    // command names the user's file in it (report/index.ts).
    const utf16 = utf16Look(sample.firstLine.trim());
    if (utf16) throw new Utf16InputError(utf16.from, 'jsonl', (convert) => `${none}: ${utf16.say(convert)}`);
    throw new InputError(`${none}; a scored JSONL file has one object per line (for CSV, give --input-format csv)`);
  }
  if (sample.objects.some((object) => Object.hasOwn(object, prefix) && isPlainObject(object[prefix]))) return;
  const keys = [...new Set(sample.objects.flatMap((object) => Object.keys(object)))];
  // A field holding a label or an error is the sentiment of a run that used another --prefix.
  const other = keys.find((key) => sample.objects.some((object) => looksLikeSentiment(object[key])));
  const fields = keys.slice(0, 30).map((key) => `'${key}'`);
  throw new InputError(
    `this is not a scored file: ${lines === 1 ? `the first record has no '${prefix}' field (its fields` : `none of the first ${lines} records has a '${prefix}' field (their fields`}: ${fields.join(', ')}); ` +
      (other === undefined ? 'score it first, or give --prefix' : `did you mean --prefix ${other}?`),
  );
}

function looksLikeSentiment(value: unknown): boolean {
  return isPlainObject(value) && (Object.hasOwn(value, 'label') || Object.hasOwn(value, 'error'));
}

/**
 * Each named field must be in at least one sampled record: a field missing from
 * some records is an empty group there, but one missing from all is a typo.
 * `except`: a top-level field the records do not have yet but the output will
 * (the sentiment field, when `score` checks its input before the run). `added`: the
 * field score added to a scored file (`report`), listed apart from the file's own.
 */
export function checkNamedFields(sample: JsonlSample, fields: readonly NamedField[], except?: string, added?: string): void {
  // Records that are not JSON objects prove nothing (the scorer fails them one by one).
  if (sample.objects.length === 0) return;
  for (const { flag, field } of fields) {
    if (field === undefined) continue;
    const path = parseDottedPath(field);
    if (path.segments[0] === except) continue;
    if (sample.objects.some((object) => lookupPath(object, path).found)) {
      refuseObjectField(sample, flag, field);
      continue;
    }
    throw new ConfigError(notInSample(sample, `${flag} '${field}'`, nearestTaken(sample.objects, field), added));
  }
}

/**
 * The nearest name to `field` among the records' paths that the check would take: a path as deep as the fields are
 * walked may end at an object. Checked one at a time, from the nearest: all 10,000 paths of 100 records before the
 * choice took 3 s.
 */
function nearestTaken(objects: ReadonlyArray<Record<string, unknown>>, field: string): string | undefined {
  const nameable = nameablePaths(fieldPaths(objects));
  for (let paths = nameable; ; ) {
    const near = nearestName(field, paths);
    if (near === undefined) break;
    if (takenAsValue(objects, near)) return near;
    paths = paths.filter((other) => other !== near);
  }
  // No typo of a path: the one path holding the name as a word (`date` → review_date), by the rule CSV columns get
  // (report/columns.ts). Only paths taken are weighed, so an object holding the word does not make it ambiguous.
  return nameWithWord(field, nameable, (path) => takenAsValue(objects, path));
}
