import { createHash } from 'node:crypto';
import { updateWithText } from '../state/text-digest.js';
import { shownStart } from '../wording/shown-start.js';

/** One example text kept for the report, already shortened. */
export interface Example {
  /** 1-based data row (header excluded): the first row with this text and score. */
  row: number;
  positive: number;
  text: string;
  /**
   * Rows with this text (white space collapsed), it included: an export with duplicates lists a text once. Every
   * such row is counted when they all got the same score (a text scored again gets the same answer); a copy scored
   * lower than the weakest example kept is not.
   */
  rows: number;
  /** Scored on its first 512 tokens only: the rest of it, which the page may show, was not read by the model. */
  truncated?: true;
}

/** Characters of a text kept for the report; longer ones end with an ellipsis. */
export const EXAMPLE_CHARS = 280;

/** A kept example and the digest of its whole text, which tells a copy of it from a text that merely starts the same. */
type Kept = Example & { key: string };

/**
 * The `size` examples of distinct texts that rank highest by `rank`, in a binary
 * heap whose root is the weakest kept: memory is `size` shortened texts (and their
 * digests), whatever the file's length. Ties go to the earlier row, so the result
 * does not depend on the order of equal scores in the heap.
 */
export class TopTexts {
  readonly #size: number;
  readonly #heap: Kept[] = [];
  /** The kept examples by the digest of their whole text. */
  readonly #byText = new Map<string, Kept>();
  readonly #rank: (example: Pick<Example, 'row' | 'positive'>) => number;

  /** `rank`: higher is better (kept). */
  constructor(size: number, rank: (example: Pick<Example, 'row' | 'positive'>) => number) {
    this.#size = size;
    this.#rank = rank;
  }

  offer(row: number, positive: number, text: string, truncated = false): void {
    if (this.#size === 0) return;
    const candidate = { row, positive };
    const full = this.#heap.length === this.#size;
    // Below the weakest kept it can be neither kept nor a copy of a kept text with its score: most rows stop here.
    if (full && this.#rank(candidate) < this.#rank(this.#heap[0]!)) return;
    const flat = flatten(text);
    const key = updateWithText(createHash('sha256'), flat).digest('base64');
    const same = this.#byText.get(key);
    if (same !== undefined) {
      // A copy (an export with duplicates, a template answer): one entry, counted; it takes the copy's place if that ranks higher.
      same.rows += 1;
      if (this.#beats(candidate, same)) {
        same.row = row;
        same.positive = positive;
        this.#down(this.#heap.indexOf(same));
      }
      return;
    }
    if (full && !this.#beats(candidate, this.#heap[0]!)) return;
    // Shortened only once it is kept.
    const kept: Kept = { row, positive, text: shortenFlat(flat), rows: 1, key, ...(truncated ? { truncated: true as const } : {}) };
    this.#byText.set(key, kept);
    if (!full) {
      this.#heap.push(kept);
      this.#up(this.#heap.length - 1);
    } else {
      this.#byText.delete(this.#heap[0]!.key);
      this.#heap[0] = kept;
      this.#down(0);
    }
  }

  /** Best first. */
  sorted(): Example[] {
    return [...this.#heap]
      .sort((a, b) => (this.#beats(a, b) ? -1 : this.#beats(b, a) ? 1 : 0))
      .map(({ key: _key, ...example }) => example);
  }

  #beats(a: Pick<Example, 'row' | 'positive'>, b: Pick<Example, 'row' | 'positive'>): boolean {
    const ra = this.#rank(a);
    const rb = this.#rank(b);
    return ra > rb || (ra === rb && a.row < b.row);
  }

  #up(at: number): void {
    const heap = this.#heap;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#beats(heap[parent]!, heap[at]!)) break;
      [heap[parent], heap[at]] = [heap[at]!, heap[parent]!];
      at = parent;
    }
  }

  #down(at: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let weakest = at;
      if (left < heap.length && this.#beats(heap[weakest]!, heap[left]!)) weakest = left;
      if (right < heap.length && this.#beats(heap[weakest]!, heap[right]!)) weakest = right;
      if (weakest === at) return;
      [heap[weakest], heap[at]] = [heap[at]!, heap[weakest]!];
      at = weakest;
    }
  }
}

/** White space collapsed: texts that differ only in it read the same on the page. */
function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** White space collapsed, cut at a word boundary near EXAMPLE_CHARS. */
export function shorten(text: string): string {
  return shortenFlat(flatten(text));
}

function shortenFlat(flat: string): string {
  if (flat.length <= EXAMPLE_CHARS) return flat;
  // The first EXAMPLE_CHARS units, one fewer when an emoji spans the cut (shownStart), without its `…`.
  const cut = shownStart(flat, EXAMPLE_CHARS).slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXAMPLE_CHARS * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
