import { dedupeKey, LONG_TEXT_KEY, type LongTextKey } from './dedupe.js';

/**
 * A set of texts held as the in-run dedupe holds them (dedupe.ts): a text up to LONG_TEXT_KEY characters as itself, a
 * longer one by its length and SHA-256 (~50 characters), so a text of 15 MiB costs a digest's memory, not its own.
 * Left out, such texts were never among an old output's answers kept (an edited export, a grown one: their rows sent
 * again, paid for); held so, the rows read back that are over LONG_TEXT_KEY are hashed once each to be looked up.
 */
export class TextSet {
  readonly #short = new Set<string>();
  readonly #long = new Set<string>();

  get size(): number {
    return this.#short.size + this.#long.size;
  }

  /** The characters `text` holds here: itself, or its digest. */
  static heldLength(text: string): number {
    return text.length > LONG_TEXT_KEY ? (dedupeKey(text) as LongTextKey).digest.length : text.length;
  }

  has(text: string): boolean {
    return text.length > LONG_TEXT_KEY ? this.#long.has(digestOf(text)) : this.#short.has(text);
  }

  add(text: string): void {
    if (text.length > LONG_TEXT_KEY) this.#long.add(digestOf(text));
    else this.#short.add(text);
  }

  delete(text: string): boolean {
    return text.length > LONG_TEXT_KEY ? this.#long.delete(digestOf(text)) : this.#short.delete(text);
  }
}

const digestOf = (text: string): string => (dedupeKey(text) as LongTextKey).digest;
