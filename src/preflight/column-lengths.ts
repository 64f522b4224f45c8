import { isCode } from './numbers-as-text.js';

/**
 * Whether a value can be review text: it holds a letter (a date or a rating does not) and is no code (numbers-as-text.ts:
 * `r001`, a SKU, a UUID). Codes counted before: a column of ids was named as the one that "holds text" by the refusal
 * of a text column of codes, and the run it advised was refused in turn.
 */
export function mayBeReview(value: string): boolean {
  return /\p{L}/u.test(value) && !isCode(value);
}

/**
 * Where a review's text usually is: the column whose values are longest over
 * some records. Only values with a letter that are no code count, so an id, a
 * date or a rating is never taken for the review.
 */
export class ColumnLengths {
  readonly #totals: number[];
  /** Per column, whether a value that is not blank was seen: a column blank so far says nothing of what it holds. */
  readonly #filled: boolean[];
  #rows = 0;

  constructor(private readonly columns: readonly string[]) {
    this.#totals = columns.map(() => 0);
    this.#filled = columns.map(() => false);
  }

  /** Records added so far. */
  get rows(): number {
    return this.#rows;
  }

  add(fields: readonly string[]): void {
    fields.forEach((field, index) => {
      if (index >= this.#totals.length) return;
      if (mayBeReview(field)) this.#totals[index]! += field.length;
      if (field.trim() !== '') this.#filled[index] = true;
    });
    this.#rows += 1;
  }

  /** The column with the longest values, leaving out those `skip` names; undefined when no value had a letter. */
  longest(skip: (column: string) => boolean = () => false): string | undefined {
    const index = this.longestIndex(skip);
    return index === undefined ? undefined : this.columns[index];
  }

  /**
   * The names of the columns with a value that may be a review, the longest values first (the first of equals first),
   * then those blank in every record so far (a sparse review column: nothing says it is no text); not those whose
   * values are all ids, codes, numbers or dates.
   */
  textColumns(): string[] {
    const indexed = this.columns.map((column, index) => ({ column, total: this.#totals[index]!, filled: this.#filled[index]! }));
    const texts = indexed.filter(({ total }) => total > 0).sort((a, b) => b.total - a.total);
    const blank = indexed.filter(({ filled }) => !filled);
    return [...texts, ...blank].map(({ column }) => column);
  }

  /** The index of that column (two columns may share a name, or have none). */
  longestIndex(skip: (column: string) => boolean = () => false): number | undefined {
    let best: number | undefined;
    let bestTotal = 0;
    this.columns.forEach((column, index) => {
      if (!skip(column) && this.#totals[index]! > bestTotal) {
        best = index;
        bestTotal = this.#totals[index]!;
      }
    });
    return best;
  }

  /**
   * Another column whose values are at least half as long as the longest's: one review split in two (Booking.com's
   * Negative_Review and Positive_Review, 28,109 and 18,652 characters in its first 100 records), where offering the
   * longest alone scores half of each review. A title beside its review (3,302 against 86,933 in the App Store export)
   * is no such half. `best` is longestIndex(skip), which its caller has just computed: not computed here again.
   * Undefined when there is none.
   */
  alsoLongIndex(best: number, skip: (column: string) => boolean = () => false): number | undefined {
    const total = this.#totals[best];
    if (total === undefined || total === 0 || isReply(this.columns[best]!)) return undefined;
    let also: number | undefined;
    this.columns.forEach((column, index) => {
      if (index === best || skip(column) || column.trim() === '' || isReply(column)) return;
      if (this.#totals[index]! * 2 >= total && (also === undefined || this.#totals[index]! > this.#totals[also]!)) also = index;
    });
    return also;
  }
}

/**
 * A business's answer to the review (`reply`, `Developer Reply`, `owner_response`): as long as the review, and no half
 * of it. Offered joined with the review, the owner's thanks were scored with the guest's words (`id,review,reply`).
 */
function isReply(column: string): boolean {
  const words = column.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return words.some((word) => /^(repl(y|ies|ied)|responses?|answers?)$/.test(word));
}
