import { isPlainObject, lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { readJsonlRecords } from '../io/jsonl-reader.js';
import { openInput } from '../io/open-input.js';
import { SAMPLE_RECORDS, type JsonlSample } from './jsonl-sample.js';

/**
 * How far into a JSONL input the start-up looks for a text field none of the first records has: 16 MiB, some 140,000
 * star-only ratings of 120 bytes. Read at every start of such a job (a resume too), so bounded: 0.4 s for the whole
 * 16 MiB, measured in-process (lookFurtherFor, 143,396 records) on the 2-core machine at a load average of 11.
 * Nothing is read past the sample when every field is in it, the usual case.
 */
export const LOOK_AHEAD_BYTES = 16 * 1024 * 1024;

/** What the look past the start-up sample found. */
export interface FieldsFurtherOn {
  /** The text fields missing from the sample that a record further on has (a value, or null). */
  found: ReadonlySet<string>;
  /**
   * Records further on whose top-level keys no record before them had (at most SAMPLE_RECORDS): with the sample's, the
   * fields a refusal lists and its likeliest one is chosen from ('reveiw' → 'review', a field only later records have).
   */
  others: Array<Record<string, unknown>>;
  /**
   * The first records further on that have one of those fields (at most SAMPLE_RECORDS, read until as many records
   * past the first of them): the field's texts where it has them, which the warning of a likely wrong field compares
   * with another field's (left-out-warning.ts). The sample has none of them.
   */
  having: Array<Record<string, unknown>>;
  /** Non-blank lines read, the sample's included. */
  records: number;
  /** The input ended within the look (every record was read), else it stopped at LOOK_AHEAD_BYTES. */
  whole: boolean;
}

/**
 * Looks past the start-up sample for the text fields that none of its records has. An export sorted so that the ratings
 * without a review come first (BigQuery's ORDER BY puts NULLs first, and its JSON export leaves a NULL field out) has
 * no `review` in its first 100 records: refused as a wrong name (exit 2), though later records have it. A field found
 * further on is the export's (a record without it has no text: left-out-fields.ts); one in no record up to
 * LOOK_AHEAD_BYTES is still refused as mistyped, the look's extent said (jsonl-fields.ts checkTextFields).
 *
 * Reads the input from its start, as the job's reader does after it: standard input is a copy on disk by now
 * (job/stdin.ts), so the records read here are scored all the same. Once every field is found it reads on a little
 * (SAMPLE_RECORDS records at most) for the field's texts (`having`). Undefined when there was nothing to look for: every
 * field in the sample, or a sample that is the whole input.
 */
export async function lookFurtherFor(inputPath: string, gzip: boolean, fields: readonly string[], sample: JsonlSample): Promise<FieldsFurtherOn | undefined> {
  const missing = fields.filter((field) => {
    const path = parseDottedPath(field);
    return !sample.objects.some((object) => lookupPath(object, path).found);
  });
  // No object to judge by: refuseNotJsonLines has refused it. Fewer lines than a sample: the sample read them all.
  if (missing.length === 0 || sample.objects.length === 0 || sample.records < SAMPLE_RECORDS) return undefined;
  const paths = missing.map((field) => ({ field, path: parseDottedPath(field) }));
  const found = new Set<string>();
  const others: Array<Record<string, unknown>> = [];
  const having: Array<Record<string, unknown>> = [];
  /** Records read since every field was found: the look ends SAMPLE_RECORDS past that, or at `having`'s fill. */
  let since = 0;
  const shapes = new Set(sample.objects.map(shapeOf));
  let records = 0;
  let whole = true;
  try {
    const lines = readJsonlRecords(openInput(inputPath, { gzip }), { textField: missing, startOffset: 0, startIndex: 0, keepValue: true });
    for await (const record of lines) {
      if (record.passThrough) continue;
      records += 1;
      const { value } = record;
      if (isPlainObject(value)) {
        const shape = shapeOf(value);
        if (others.length < SAMPLE_RECORDS && !shapes.has(shape)) {
          shapes.add(shape);
          others.push(value);
        }
        const has = paths.filter(({ path }) => lookupPath(value, path).found);
        for (const { field } of has) found.add(field);
        if (has.length > 0 && having.length < SAMPLE_RECORDS) having.push(value);
      }
      if (found.size === paths.length && (having.length >= SAMPLE_RECORDS || ++since >= SAMPLE_RECORDS)) break;
      if (record.byteEnd >= LOOK_AHEAD_BYTES) {
        whole = false;
        break;
      }
    }
  } catch {
    // An unreadable input (invalid UTF-8, a cut last line) is said by the job's reader, with its place: the look ends there.
    whole = false;
  }
  return { found, others, having, records, whole };
}

/** A record's top-level keys, in order: records of one shape offer the same fields. */
function shapeOf(object: Record<string, unknown>): string {
  return Object.keys(object).join('\u0000');
}
