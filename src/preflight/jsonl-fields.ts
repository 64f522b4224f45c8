import { ConfigError } from '../errors.js';
import { isDottedPath, isPlainObject, lookupPath, parseDottedPath, type DottedPath } from '../io/dotted-path.js';
import { SAMPLE_RECORDS, type JsonlSample } from './jsonl-sample.js';
import { LOOK_AHEAD_BYTES, type FieldsFurtherOn } from './field-look-ahead.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { nearestTextName } from '../io/nearest-name.js';
import { dropNameAdvice, joinTextParts, textSetting, type TextNamed } from '../io/text-parts.js';
import { textSubject } from '../wording/text-subject.js';
import { mayBeReview } from './column-lengths.js';
import { refuseNumbersAsText } from './numbers-as-text.js';
import { jsonlSampleWithin } from './limit-sample.js';
import { arrayOnPath, arrayOnPathAdvice } from './array-on-path.js';
import { listedColumnsAdvice, listedNames } from '../io/listed-columns.js';
import { notTextKind } from './value-kind.js';

/**
 * Nested objects are walked this deep, to the values (paths a flag can name). At 3 a value four deep was listed as the
 * object above it (`meta.a.b` for `meta.a.b.c.region`), which --by then refused as an object; the bound is only what
 * keeps a record nested thousands deep (a MiB of `{"a":`) from overflowing the stack: an object deeper is listed as it is.
 */
export const MAX_DEPTH = 32;
/** A message lists at most this many fields. */
const MAX_LISTED = 30;
/**
 * The start-up checks know at most this many field paths of the sampled records (the first seen): a record of
 * 1,000,000 keys was listed whole, a Set and an array of 1,000,000 paths for each check that lists them, 0.9 GB at the
 * peak for six such lines, to name 30 of them. A message says how many more there are (pathsPast).
 */
export const MAX_FIELD_PATHS = 10_000;

/**
 * A text field that none of the first records has is a wrong name (or the
 * default `text` on a file that calls it `review`), not a file of bad rows:
 * stop at startup listing the fields the records do have, with the likeliest
 * one. Records that are not JSON objects prove nothing (a sample without any
 * object never gets here: sampleJsonl refuses it). `further`: the look past the
 * sample (field-look-ahead.ts); a field a record there has is no wrong name, and
 * the refusal of one none has says how far it looked.
 */
export function checkTextFields(sample: JsonlSample, fields: readonly string[], named: TextNamed, further?: FieldsFurtherOn): void {
  if (sample.objects.length === 0) return;
  const isThere = (field: string): boolean => {
    const path = parseDottedPath(field);
    return sample.objects.some((object) => lookupPath(object, path).found) || further?.found.has(field) === true;
  };
  for (const field of fields) {
    const path = parseDottedPath(field);
    if (isThere(field)) continue;
    // The fields of records further on, that the first records lack, are offered too.
    const objects = further === undefined ? sample.objects : [...sample.objects, ...further.others];
    const paths = fieldPaths(objects);
    const nameable = nameablePaths(paths);
    // A field already named is no suggestion ("did you mean 'text'?" to `--text-field title --text-field text`).
    const others = paths.filter((other) => !fields.includes(other));
    // Only values that can be review text count, as for a CSV column (column-lengths.ts): a date is longer than 'ok'.
    // Judged by the records the paths come from: a path only records further on have, judged by the sample (which
    // lacks it), was offered as an object and the run naming it failed every such row text_not_string.
    const near = nearestTextField(field, objects, nameablePaths(others));
    const suggestion = near ?? longestTextField(objects, others, mayBeReview);
    const words = textSetting(named, true);
    const what = textSubject([field], named, true, { at: 'head', nameYours: true });
    const listed = listedNames(field, (part) => nameable.includes(part));
    if (listed) throw new ConfigError(`${notInSample(sample, what, undefined, undefined, further)}; ${listedColumnsAdvice(listed, named, true)}`);
    // Another field named is there and no near name is: the way on is to score that one without this.
    const kept = fields.filter((other) => other !== field);
    if (near === undefined && kept.length > 0 && kept.every(isThere)) {
      throw new ConfigError(`${notInSample(sample, what, undefined, undefined, further)}; ${dropNameAdvice(field, kept, named, true)}`);
    }
    // "did you mean ''?" would be a dead end: --text-field refuses a path with an empty part.
    if (suggestion !== undefined && !isDottedPath(suggestion)) {
      throw new ConfigError(`${notInSample(sample, what, undefined, undefined, further)} (the longest texts are in the field '${suggestion}', which has an empty key, and ${words.setting} cannot name it: rename that key in the records)`);
    }
    const array = arrayOnPath(objects, path);
    throw new ConfigError(notInSample(sample, what, suggestion, undefined, further) + (array === undefined ? '' : arrayOnPathAdvice(array, words.setting)));
  }
}

/**
 * A text field that holds an object or an array in every sampled record that has it names the container, not the
 * text (`--text-field review` for `review.body`): every row would fail text_not_string, the whole file read and
 * written for an exit 5. Refused at startup (exit 2), naming the field that holds text, inside it if one does. So is
 * one that is true or false in each (`{"text":true}`: a flag, never a review), which ended the same way (fuzz28).
 * A record with a string there (or a number) leaves the field to the per-row outcomes; a null is no text either (a
 * NULL STRUCT, as BigQuery writes it), so records holding null beside the objects are refused the same. Flags
 * outnumbered by nulls are not (notTextKindNullsAside).
 */
export function refuseObjectTextFields(sample: JsonlSample, fields: readonly string[], named: TextNamed): void {
  for (const field of fields) {
    const path = parseDottedPath(field);
    const values = valuesAt(sample.objects, path);
    const kind = notTextKindNullsAside(values);
    const nulls = values.filter((value) => value === null).length;
    if (kind === undefined) continue;
    const words = textSetting(named, true);
    const what = textSubject([field], named, true, { at: 'head', nameYours: true });
    const paths = nameablePaths(fieldPaths(sample.objects)).filter((other) => !fields.includes(other));
    const inside = paths.filter((other) => other.startsWith(`${field}.`));
    const text = longestTextField(sample.objects, inside, mayBeReview) ?? longestTextField(sample.objects, paths, mayBeReview);
    // The one field replaced: the others named with it stay.
    const next = text === undefined ? `name the field that holds the reviews with ${words.setting}` : `the field '${text}' holds text: ${words.use(text, field)}`;
    const where = nulls === 0 ? whereInSample(values.length, sample.records) : whereBesideNulls(values.length - nulls, nulls, sample.records);
    throw new ConfigError(`${what} is ${kind}, not text, ${where}; ${next}`);
  }
}

/**
 * The path nearest `field` by name that refuseObjectTextFields's test takes as text in `objects` (the records the paths
 * were listed from, those past the sample included): the paths are walked MAX_DEPTH levels, so one that deep may end at
 * an object, and "did you mean" it was refused in turn ("is an object, not text") on the next run.
 */
function nearestTextField(field: string, objects: ReadonlyArray<Record<string, unknown>>, paths: readonly string[]): string | undefined {
  let left = paths;
  // Of paths only beginning with `field` (`review` of review_id), those holding text, the longest first, then those
  // null or blank in every record (nothing says they are no text), as for a CSV column (nearestTextName, column-lengths.ts).
  let texts: string[] | undefined;
  const byText = (): string[] => {
    if (texts !== undefined) return texts;
    const measured = paths.map((path) => ({ path, mean: meanTextLength(objects, path, mayBeReview) }));
    const blank = (path: string): boolean => valuesAt(objects, listedPath(path)).every((value) => value === null || (typeof value === 'string' && value.trim() === ''));
    const withText = measured.filter(({ mean }) => mean > 0).sort((a, b) => b.mean - a.mean).map(({ path }) => path);
    return (texts = [...withText, ...paths.filter(blank)]);
  };
  for (;;) {
    const near = nearestTextName(field, left, byText);
    if (near === undefined || notTextKindNullsAside(valuesAt(objects, parseDottedPath(near))) === undefined) return near;
    left = left.filter((other) => other !== near);
  }
}

/** The values at `path` in the records that have it (null too: notTextKindNullsAside sets it aside, and the refusal counts it). */
function valuesAt(objects: ReadonlyArray<Record<string, unknown>>, path: DottedPath): unknown[] {
  return objects.flatMap((object) => {
    const found = lookupPath(object, path);
    return found.found ? [found.value] : [];
  });
}

/**
 * notTextKind of the values that are not null: a null is no text (empty_text), it neither makes the field text nor,
 * alone, a container. Flags alone (true or false) fewer than the nulls are not refused: a sparse text field (ratings
 * without a review hold null) with a stray flag in its first records is no flag column, and its reviews further on were
 * refused with it, no setting to get past it (review69: 198 null, 2 true, then 60 reviews, exit 2; scored at bf223f53).
 */
function notTextKindNullsAside(values: readonly unknown[]): ReturnType<typeof notTextKind> {
  const present = values.filter((value) => value !== null);
  const kind = notTextKind(present);
  return kind === 'true or false' && present.length < values.length - present.length ? undefined : kind;
}

/** 'in each of the first 3 records', or of those that have the field when some of the `records` sampled do not. */
function whereInSample(having: number, records: number): string {
  if (having >= records) return having === 1 ? 'in the first record' : `in each of the first ${having} records`;
  return having === 1 ? `in the only one of the first ${records} records that has it` : `in each of the ${having} of the first ${records} records that have it`;
}

/**
 * 'in 3 of the first 4 records (null in the other)', 'in 2 of the first 5 records (null in 1 more, left out of the
 * other 2)': each count said, adding up to the records read. It said 'in the only one of the first 2 records that has
 * it (1 more holds null)', where the record holding null has the field too (review69).
 */
function whereBesideNulls(having: number, nulls: number, records: number): string {
  const lacking = records - having - nulls;
  const other = (count: number): string => (count === 1 ? 'the other' : `the other ${count}`);
  const besides = lacking <= 0 ? `null in ${other(nulls)}` : `null in ${nulls} more, left out of ${other(lacking)}`;
  return `in ${having} of the first ${records} records (${besides})`;
}

/**
 * The text fields' values in the sample must not all be numbers (numbers-as-text.ts): the job's check. A JSON
 * number (`"stars": 5`) counts as the number it is: such a field is a rating as surely as `"stars": "5"` is.
 */
export function refuseNumericTextFields(sample: JsonlSample, fields: readonly string[], named: TextNamed, allow: string, limit?: number): void {
  const paths = fields.map(parseDottedPath);
  // Those of the records a --limit run scores; the records past it only confirm (numbers-as-text.ts).
  const scored = jsonlSampleWithin(sample, limit);
  const texts = sampleFieldTexts(scored, fields);
  const past = limit === undefined ? undefined : { texts: sampleFieldTexts(jsonlSampleWithin(sample, limit, true), fields), sampled: sample.records };
  // JSON numbers are never a text to score (text_not_string, with the flag too): the flag is no way past them.
  const jsonNumbers = sample.objects.some((object) => paths.some((path) => {
    const found = lookupPath(object, path);
    return found.found && typeof found.value === 'number';
  }));
  refuseNumbersAsText(texts, { jsonl: true, names: fields, named, sampled: scored.records, allow: jsonNumbers ? undefined : allow, ...(past ? { past } : {}) }, () =>
    longestTextField(sample.objects, nameablePaths(fieldPaths(sample.objects)).filter((path) => !fields.includes(path)), mayBeReview),
  );
}

/** The sampled records' texts, as the job would send them (a JSON number as its digits); a record without the field, or with a value that is not text, gives none. */
export function sampleFieldTexts(sample: JsonlSample, fields: readonly string[]): string[] {
  const paths = fields.map(parseDottedPath);
  const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
  return sample.objects.flatMap((object) => {
    const found = paths.map((path) => lookupPath(object, path));
    // A record without the field (failed, or no text: left-out-fields.ts), or with a value that is not text, is judged on its own.
    if (!found.every((one) => one.found && (typeof one.value === 'string' || typeof one.value === 'number' || one.value === null))) return [];
    return [joinTextParts(found.map((one) => (one.found ? asText(one.value) : '')))];
  });
}

/** The paths a flag can name, the only ones worth offering. */
export function nameablePaths(paths: readonly string[]): string[] {
  return paths.filter(isDottedPath);
}

/**
 * "WHAT is in none of the first N records; their fields are: 'a', 'b.c' (did you mean 'x'?)":
 * the one wording of every JSONL field the records lack (text field, report fields). `added`: the field score added to
 * a scored file (its --prefix), whose paths are listed apart, after the file's own, as a scored CSV's sentiment_*
 * columns are (report/columns.ts): they were listed among the fields one could group by, as if the file's own.
 */
export function notInSample(sample: JsonlSample, what: string, suggestion: string | undefined, added?: string, further?: FieldsFurtherOn): string {
  const objects = further === undefined ? sample.objects : [...sample.objects, ...further.others];
  const paths = fieldPaths(objects);
  const byScore = (path: string): boolean => added !== undefined && (path === added || path.startsWith(`${added}.`));
  const own = paths.filter((path) => !byScore(path));
  const theirs = paths.filter(byScore);
  const records = Math.min(sample.records, SAMPLE_RECORDS);
  const where = records === 1 ? 'not in the first record; its fields are' : `in none of the first ${records} records; their fields are`;
  const past = pathsPast(objects, paths, (path) => !byScore(path));
  return (
    `${what} is ${further === undefined ? where : `${lookedThrough(further)}; their fields are`}: ${listedPaths(own, past).join(', ')}` +
    (theirs.length === 0 ? '' : ` (and the ones score added: ${listedPaths(theirs).join(', ')})`) +
    (suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`)
  );
}

/** 'in none of the 300 records', or of the first 210,000 when the look stopped at its bound (field-look-ahead.ts). */
function lookedThrough(further: FieldsFurtherOn): string {
  if (further.whole) return `in none of the ${groupedNumber(further.records)} records`;
  // The way past for an export whose records with the field all come later (sorted with its NULLs first): one of them first.
  return `in none of the first ${groupedNumber(further.records)} records (the first ${LOOK_AHEAD_BYTES / 1024 / 1024} MiB of the input, as far as the start-up looks; if records further on have it, put one of them first)`;
}

/** The paths quoted, the first MAX_LISTED of them, then how many more ('and 999,970 more'). `past`: those past `paths`. */
function listedPaths(paths: readonly string[], past: PathsPast = { more: 0, exact: true }): string[] {
  const more = Math.max(paths.length - MAX_LISTED, 0) + past.more;
  if (more === 0) return paths.map(quote);
  return [...paths.slice(0, MAX_LISTED).map(quote), `and ${past.exact ? '' : 'at least '}${groupedNumber(more)} more`];
}

/**
 * Every path to a value that is not an object, in the order first seen, up to `limit` of them (MAX_FIELD_PATHS): a
 * record's paths past it are counted for a message (pathsPast), not listed.
 */
export function fieldPaths(objects: ReadonlyArray<Record<string, unknown>>, limit = MAX_FIELD_PATHS): string[] {
  const seen = new Set<string>();
  for (const object of objects) {
    const goOn = walkPaths(object, (path) => {
      seen.add(path);
      return seen.size < limit;
    });
    if (!goOn) break;
  }
  return [...seen];
}

/** How many paths the records have past a listing fieldPaths cut: exact when one record has them, else at least that. */
interface PathsPast {
  more: number;
  exact: boolean;
}

/**
 * The paths past `listed` (fieldPaths'), of those `counts` takes: the most any one record has, as a record's own paths
 * are all different; several records with some may have more between them, so that is "at least". Not a Set of them
 * all: that is the listing the bound is there to spare.
 */
function pathsPast(objects: ReadonlyArray<Record<string, unknown>>, listed: readonly string[], counts: (path: string) => boolean = () => true): PathsPast {
  if (listed.length < MAX_FIELD_PATHS) return { more: 0, exact: true };
  const known = new Set(listed);
  let more = 0;
  let records = 0;
  for (const object of objects) {
    let past = 0;
    walkPaths(object, (path) => {
      if (!known.has(path) && counts(path)) past += 1;
      return true;
    });
    if (past > 0) records += 1;
    more = Math.max(more, past);
  }
  return { more, exact: records <= 1 };
}

/**
 * Hands `visit` each path of the object to a value that is not an object (an object MAX_DEPTH deep is one), in order,
 * until it answers false; false then. Keys, not entries: Object.entries made a pair for each of a record's 1,000,000 keys.
 */
function walkPaths(object: Record<string, unknown>, visit: (path: string) => boolean, prefix = '', depth = 1): boolean {
  for (const key of Object.keys(object)) {
    const value = object[key];
    const path = `${prefix}${key}`;
    if (isPlainObject(value) && depth < MAX_DEPTH) {
      if (!walkPaths(value, visit, `${path}.`, depth + 1)) return false;
    } else if (!visit(path)) return false;
  }
  return true;
}

/** The field whose string values are longest on average: where a review's text usually is. `counts`: which values count. */
export function longestTextField(objects: ReadonlyArray<Record<string, unknown>>, paths: readonly string[], counts: (value: string) => boolean = () => true): string | undefined {
  return longestMean(paths, (path) => meanTextLength(objects, path, counts));
}

/** Of `paths`, the one whose `mean` is longest, the first of equals; undefined when none is above 0. */
export function longestMean(paths: Iterable<string>, mean: (path: string) => number): string | undefined {
  let best: string | undefined;
  let bestLength = 0;
  for (const path of paths) {
    const length = mean(path);
    if (length > bestLength) {
      best = path;
      bestLength = length;
    }
  }
  return best;
}

/** The mean length of the path's string values in these records, of those `counts` takes; 0 when there is none. */
export function meanTextLength(objects: ReadonlyArray<Record<string, unknown>>, path: string, counts: (value: string) => boolean = () => true): number {
  const dotted = listedPath(path);
  const lengths = new TextLengths();
  for (const object of objects) lengths.add(object, dotted, counts);
  return lengths.mean;
}

/** A path as fieldPaths lists it, to look up: built rather than parsed, as a key may be empty or hold dots, which parseDottedPath refuses. */
export const listedPath = (path: string): DottedPath => ({ text: path, segments: path.split('.') });

/**
 * One path's string values that `counts` takes, as running totals record by record: meanTextLength's over records at
 * hand, and RenamedTextField's (job/renamed-text-field.ts) over records it does not keep.
 */
export class TextLengths {
  #total = 0;
  #values = 0;

  /** Counts the value `path` finds in the record, when it is a string `counts` takes. */
  add(object: Record<string, unknown>, path: DottedPath, counts: (value: string) => boolean): void {
    const found = lookupPath(object, path);
    if (found.found && typeof found.value === 'string' && counts(found.value)) {
      this.#total += found.value.length;
      this.#values += 1;
    }
  }

  /** Their mean length; 0 when there is none. */
  get mean(): number {
    return this.#values === 0 ? 0 : this.#total / this.#values;
  }
}

const quote = (name: string): string => `'${name}'`;
