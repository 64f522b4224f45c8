/**
 * Where a text's feature ids are collected (features.ts), with what the collection reads of each token, reused
 * from text to text by its owner. Why: a typed array of more than 64 bytes keeps its memory outside V8's heap, and
 * allocating three or four of them per sentence and member (the ids, their sorted copy, the token hashes) cost more
 * than the hashing itself on short reviews. Reuse changes no id, so no score.
 *
 * The per-token half (hashes, negation marks, valences) is filled once per sentence by `prepareTokens` and read by
 * every member's collection and by the lexicon's sums: the members of one model hash the same tokens, and look up
 * the same lexicon words, so doing it once per member and once more for the lexicon was the same work three times.
 */
export class FeatureIdBuffer {
  /** `ids[0 .. length)`: the ids collected so far; once collected, the distinct ones in ascending order. */
  ids = new Int32Array(1024);
  length = 0;
  /** Per token: its own hash (hashToken), for a member without negation marking. */
  plain = new Uint32Array(256);
  /** Per token: its hash with negation marking (a negated word's moved to a space of its own; features.ts). */
  hashes = new Uint32Array(256);
  /** Per token: 1 inside a negation's scope, 2 for an intensifying negation (features.ts). */
  negated = new Uint8Array(256);
  /** Zeros: the marks of a member without negation marking (never written). */
  unmarked = new Uint8Array(256);
  /** Per token: its lexicon valence, NaN for a word the lexicon lacks (or when no lexicon was given). */
  valence = new Float64Array(256);
  /** Whether the tokens were prepared with a lexicon (a member's lexicon classes need one). */
  lexicon = false;

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(2 * this.ids.length);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  /** Makes room for `tokens` tokens' hashes, marks and valences (their old values stay until written). */
  reserve(tokens: number): void {
    if (this.hashes.length >= tokens) return;
    let size = this.hashes.length;
    while (size < tokens) size *= 2;
    this.plain = new Uint32Array(size);
    this.hashes = new Uint32Array(size);
    this.negated = new Uint8Array(size);
    this.unmarked = new Uint8Array(size);
    this.valence = new Float64Array(size);
  }
}
