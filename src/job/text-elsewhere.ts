/**
 * When the text column is blank in every row, the reviews are usually in
 * another column (an export's empty `text` beside its `review`). Which one is
 * guessed from records read anyway, never from a second read of the input:
 * for CSV the first records this run reads (their fields are kept that long),
 * for JSONL the startup sample (preflight/jsonl-sample.ts).
 */
import { sameName } from '../io/unicode-name.js';
import { ColumnLengths, mayBeReview } from '../preflight/column-lengths.js';
import { fieldPaths, longestTextField, nameablePaths } from '../preflight/jsonl-fields.js';
import { SAMPLE_RECORDS, type JsonlSample } from '../preflight/jsonl-sample.js';

export interface TextElsewhere {
  /** The column or field, other than the text ones, whose values with a letter are longest; undefined when there is none. */
  likely(): string | undefined;
}

const isText = (text: readonly string[]) => (name: string) => text.some((one) => sameName(one, name));

/** CSV: tallies the fields of the first SAMPLE_RECORDS records with the header's width (the reader's `onFields`). */
export class CsvTextElsewhere implements TextElsewhere {
  readonly #lengths: ColumnLengths;

  constructor(
    columns: readonly string[],
    private readonly text: readonly string[],
  ) {
    this.#lengths = new ColumnLengths(columns);
  }

  /** A record's fields (a ragged row's do not line up with the header, and the reader does not show them). */
  readonly look = (fields: readonly string[]): void => {
    if (this.#lengths.rows < SAMPLE_RECORDS) this.#lengths.add(fields);
  };

  likely(): string | undefined {
    // A column with no name is no answer: --text-column refuses ''.
    return this.#lengths.longest((column) => column.trim() === '' || isText(this.text)(column));
  }
}

/**
 * JSONL: the startup sample's field with the longest string values, the text fields left out. Chosen at start-up, not
 * when asked: a closure over the sample held its records parsed through the whole run (a line of 1,000,000 keys was
 * 74 MB of heap, held while the run parsed it again).
 */
export function jsonlTextElsewhere(sample: JsonlSample, text: readonly string[]): TextElsewhere {
  const likely = longestTextField(sample.objects, nameablePaths(fieldPaths(sample.objects)).filter((path) => !isText(text)(path)), mayBeReview);
  return { likely: () => likely };
}
