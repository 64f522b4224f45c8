import { dedupeKey, LONG_TEXT_KEY, LongTextKey, type DedupeKey } from './dedupe.js';

/**
 * A set of texts held as the in-run dedupe holds them (dedupe.ts): a text up to LONG_TEXT_KEY characters as itself, a
 * longer one by its length and SHA-256 (~50 characters), so a text of 15 MiB costs a digest's memory, not its own.
 * Left out, such texts were never among an old output's answers kept (an edited export, a grown one: their rows sent
 * again, paid for); held so, the rows read back that are over LONG_TEXT_KEY are hashed once each to be looked up.
 * Each call takes the text or its key (dedupeKey): a caller making several calls for one long text computes the key
 * once and passes it, where the text itself is hashed again by each call (textsToScore hashed each long text three
 * times: has, heldLength, add).
 */
export class TextSet {
  readonly #short = new Set<string>();
  readonly #long = new Set<string>();

  get size(): number {
    return this.#short.size + this.#long.size;
  }

  /** The characters `text` holds here: itself, or its digest. */
  static heldLength(text: DedupeKey): number {
    const key = keyOf(text);
    return typeof key === 'string' ? key.length : key.digest.length;
  }

  has(text: DedupeKey): boolean {
    const key = keyOf(text);
    return typeof key === 'string' ? this.#short.has(key) : this.#long.has(key.digest);
  }

  add(text: DedupeKey): void {
    const key = keyOf(text);
    if (typeof key === 'string') this.#short.add(key);
    else this.#long.add(key.digest);
  }

  delete(text: DedupeKey): boolean {
    const key = keyOf(text);
    return typeof key === 'string' ? this.#short.delete(key) : this.#long.delete(key.digest);
  }
}

/** A key as it is; a text as dedupeKey makes it (a string over LONG_TEXT_KEY characters is a text, never a key). */
function keyOf(text: DedupeKey): DedupeKey {
  return text instanceof LongTextKey || text.length <= LONG_TEXT_KEY ? text : dedupeKey(text);
}
