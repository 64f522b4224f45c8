/**
 * A JSONL text field renamed partway: the records without it hold their reviews in a field no record with it has.
 *
 * A record without the text field is no text wherever it is (preflight/left-out-fields.ts), for an export that leaves
 * out a NULL (BigQuery). So an export of `review` with another appended whose field is `body` ends "Done", exit 0, the
 * appended rows skipped as empty_text; the start-up warning (left-out-warning.ts) judges only the first records, which
 * all have `review`. Measured 2026-12-05: 100 `review` records then 1,000 `body` ones, 1,000 of 1,100 rows skipped,
 * exit 0, and nothing in --summary-json (`warning`) for a monitor to read.
 *
 * A NULL and a rename look alike record by record; what tells them apart is the other fields. A record whose review is
 * NULL keeps the fields every record has (a title, a rating); a renamed export holds its text in a field the records
 * with the text field never hold. So the records lacking the field are looked at as the run reads them (the first
 * SAMPLE_RECORDS), and judged against the fields of the records that have it (the start-up sample and the look further
 * on, which the run reads anyway). Of each, only its fields' names and text lengths are kept: kept whole, 100 records
 * of 15 MiB were 1.5 GB held through the run.
 */
import { textSetting, type TextNamed } from '../io/text-parts.js';
import { mayBeReview } from '../preflight/column-lengths.js';
import { fieldPaths, listedPath, longestMean, MAX_FIELD_PATHS, nameablePaths, TextLengths } from '../preflight/jsonl-fields.js';
import { lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { SAMPLE_RECORDS, type JsonlSample } from '../preflight/jsonl-sample.js';
import { groupedNumber } from '../wording/grouped-number.js';

export class RenamedTextField {
  /** Records looked at (at most SAMPLE_RECORDS). */
  #lacking = 0;
  /**
   * Of the records lacking the field, each field's path (in the order first seen) with the lengths of its string
   * values that may be a review (mayBeReview), as meanTextLength sums them.
   */
  readonly #lengths = new Map<string, TextLengths>();
  readonly #havingPaths: ReadonlySet<string>;

  /** `having`: records that have a text field (the start-up sample's and those found further on). */
  constructor(
    having: ReadonlyArray<Record<string, unknown>>,
    private readonly text: readonly string[],
    private readonly named: TextNamed,
  ) {
    this.#havingPaths = new Set(fieldPaths(having));
  }

  /** A record the reader found without its text field (the reader's `onLeftOut`). */
  readonly look = (object: Record<string, unknown>): void => {
    if (this.#lacking >= SAMPLE_RECORDS) return;
    this.#lacking += 1;
    for (const path of fieldPaths([object])) {
      let lengths = this.#lengths.get(path);
      if (lengths === undefined) {
        // Held through the run: as many paths as the start-up checks know of a sample (100 records of 1,000,000 keys each, all different, were 100,000,000).
        if (this.#lengths.size >= MAX_FIELD_PATHS) continue;
        this.#lengths.set(path, (lengths = new TextLengths()));
      }
      lengths.add(object, listedPath(path), mayBeReview);
    }
  };

  /** The field that holds text in the records this run skipped for a field left out (`rows` of them); else undefined. */
  found(leftOutRows: number | undefined): RenamedFound | undefined {
    const rows = leftOutRows ?? 0;
    if (rows === 0 || this.#lacking === 0) return undefined;
    const renamed = nameablePaths([...this.#lengths.keys()]).filter((path) => !this.#havingPaths.has(path) && !this.text.includes(path));
    // longestTextField's choice, of the means over those records.
    const field = longestMean(renamed, (path) => this.#lengths.get(path)!.mean);
    return field === undefined ? undefined : { field, rows };
  }

  /** The summary's warning when this run skipped rows for a field left out whose records hold text elsewhere; else undefined. */
  warning(run: { leftOutRows?: number; read: number }): string | undefined {
    const found = this.found(run.leftOutRows);
    return found && renamedWords(found, { text: this.text, named: this.named, read: run.read });
  }
}

/** What a completed job's checkpoint keeps of a rename (its `renamedTextField`): an "already done" rerun warns again. */
export interface RenamedFound {
  /** The field the records without the text field hold their text in. */
  field: string;
  /** The rows skipped for the text field left out. */
  rows: number;
}

/**
 * The note of a job continued from a completed one (grown-input.ts): the old part's (`earlier`) with this run's rows
 * added when it found the same field; a field of its own found in the rows appended is noted if it skipped more rows.
 */
export function withRenamedRows(earlier: RenamedFound | undefined, found: RenamedFound | undefined): RenamedFound | undefined {
  if (earlier === undefined || found === undefined) return earlier ?? found;
  if (earlier.field === found.field) return { field: earlier.field, rows: earlier.rows + found.rows };
  return found.rows > earlier.rows ? found : earlier;
}

/**
 * The warning's words. `earlier`: said by an "already done" rerun of the output an earlier run wrote (completed-rerun.ts),
 * as the warning of a job whose every row was skipped is (header-only-warning.ts): the first run warned, the rerun ended
 * "Already done", exit 0, and a nightly operator who reads only the last run's summary never saw it.
 */
export function renamedWords(found: RenamedFound, job: { text: readonly string[]; named: TextNamed; read: number; earlier?: boolean }): string {
  const field = job.text.length === 1 ? (job.text[0] as string) : job.text.join("', '");
  const words = textSetting(job.named, true);
  const both = typeof job.named === 'object' ? `add '${found.field}' to ${words.setting}` : `run again with ${[...job.text, found.field].map((name) => `${words.setting} '${name}'`).join(' ')}`;
  const rows = job.earlier ? `rows an earlier run of it read (its output is as it wrote it)` : 'rows this run read';
  return `${words.given(field)} is left out of ${groupedNumber(found.rows)} of the ${groupedNumber(job.read)} ${rows}, skipped as no text (empty_text); their field '${found.field}' holds text and no record with '${field}' has it (renamed further on?): if it holds the reviews, name both: ${both}`;
}

/** The sample's records that have one of the text fields (a value, or null). */
export function withTextField(sample: JsonlSample, text: readonly string[]): Array<Record<string, unknown>> {
  const paths = text.map(parseDottedPath);
  return sample.objects.filter((object) => paths.some((path) => lookupPath(object, path).found));
}
