/** One example text kept for the report, already shortened. */
export interface Example {
  /** 1-based data row (header excluded). */
  row: number;
  positive: number;
  text: string;
}

/** Characters of a text kept for the report; longer ones end with an ellipsis. */
export const EXAMPLE_CHARS = 280;

/**
 * The `size` examples that rank highest by `better(a, b) > 0`, in a binary heap
 * whose root is the weakest kept: memory is `size` shortened texts, whatever the
 * file's length. Ties go to the earlier row, so the result does not depend on
 * the order of equal scores in the heap.
 */
export class TopTexts {
  readonly #size: number;
  readonly #heap: Example[] = [];
  readonly #rank: (example: Example) => number;

  /** `rank`: higher is better (kept). */
  constructor(size: number, rank: (example: Example) => number) {
    this.#size = size;
    this.#rank = rank;
  }

  offer(row: number, positive: number, text: string): void {
    if (this.#size === 0) return;
    const candidate = { row, positive, text: '' };
    if (this.#heap.length === this.#size && !this.#beats(candidate, this.#heap[0]!)) return;
    // Shortened only once it is kept: most rows never get here.
    candidate.text = shorten(text);
    if (this.#heap.length < this.#size) {
      this.#heap.push(candidate);
      this.#up(this.#heap.length - 1);
    } else {
      this.#heap[0] = candidate;
      this.#down(0);
    }
  }

  /** Best first. */
  sorted(): Example[] {
    return [...this.#heap].sort((a, b) => (this.#beats(a, b) ? -1 : this.#beats(b, a) ? 1 : 0));
  }

  #beats(a: Example, b: Example): boolean {
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

/** White space collapsed, cut at a word boundary near EXAMPLE_CHARS. */
export function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXAMPLE_CHARS) return flat;
  const cut = flat.slice(0, EXAMPLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXAMPLE_CHARS * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
