/**
 * Where a text's feature ids are collected (features.ts), with the per-token scratch the collection needs, reused
 * from text to text by its owner. Why: a typed array of more than 64 bytes keeps its memory outside V8's heap, and
 * allocating three or four of them per sentence and member (the ids, their sorted copy, the token hashes) cost more
 * than the hashing itself on short reviews. Reuse changes no id, so no score.
 */
export class FeatureIdBuffer {
  /** `ids[0 .. length)`: the ids collected so far; once collected, the distinct ones in ascending order. */
  ids = new Int32Array(1024);
  length = 0;
  /** Per token: its hash, and 1 inside a negation's scope, 2 for an intensifying negation (features.ts). */
  hashes = new Uint32Array(256);
  negated = new Uint8Array(256);

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(2 * this.ids.length);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  /** Empties the ids and makes room for `tokens` tokens' hashes and marks (their old values stay until written). */
  start(tokens: number): void {
    this.length = 0;
    if (this.hashes.length < tokens) {
      let size = this.hashes.length;
      while (size < tokens) size *= 2;
      this.hashes = new Uint32Array(size);
      this.negated = new Uint8Array(size);
    }
  }
}
