/**
 * A member's weights by hash bucket, holding only the buckets that have one.
 *
 * Why not a dense Float32Array over all 2^hashBits buckets: only a small share
 * of the buckets ever occur in training (about 290,000 of 2 x 2^22), and a
 * dense array costs memory, load time (zeroing and touching every page) and
 * cache misses in proportion to 2^hashBits. This table costs them in
 * proportion to the weights actually kept, whatever hashBits is.
 *
 * Open addressing with linear probing, at most half full. Bucket ids are
 * already well-mixed hashes (features.ts), so their low bits pick the slot.
 * Each slot is a pair of 32-bit words in one buffer, the bucket id and the
 * weight's float bits, so a look-up touches one cache line.
 */

const EMPTY = -1;

export class WeightTable {
  /** Slot s: words[2s] is the bucket id (EMPTY when free), floats[2s + 1] its weight. */
  private readonly words: Int32Array;
  private readonly floats: Float32Array;
  private readonly mask: number;
  private stored = 0;

  /** An empty table with room for `capacity` weights. */
  constructor(capacity: number) {
    let slots = 2;
    while (slots < 2 * capacity) slots *= 2;
    this.words = new Int32Array(2 * slots).fill(EMPTY);
    this.floats = new Float32Array(this.words.buffer);
    this.mask = slots - 1;
  }

  /** The weights of a dense array, by index; zeros are not kept (they read as 0 anyway). */
  static fromDense(weights: Float32Array): WeightTable {
    let count = 0;
    for (const w of weights) if (w !== 0) count++;
    const table = new WeightTable(count);
    weights.forEach((w, bucket) => {
      if (w !== 0) table.set(bucket, w);
    });
    return table;
  }

  /** How many buckets hold a weight. */
  get size(): number {
    return this.stored;
  }

  /** The weight of `bucket` (a non-negative id below 2^31), 0 when it has none. */
  get(bucket: number): number {
    let slot = bucket & this.mask;
    for (;;) {
      const id = this.words[2 * slot] as number;
      if (id === bucket) return this.floats[2 * slot + 1] as number;
      if (id === EMPTY) return 0;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Sets `bucket`'s weight (stored as a float32). Throws past the capacity given to the constructor. */
  set(bucket: number, weight: number): void {
    let slot = bucket & this.mask;
    for (;;) {
      const id = this.words[2 * slot] as number;
      if (id === bucket) break;
      if (id === EMPTY) {
        if (2 * (this.stored + 1) > this.mask + 1) throw new Error(`the weight table is full (${this.stored} weights)`);
        this.words[2 * slot] = bucket;
        this.stored++;
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    this.floats[2 * slot + 1] = weight;
  }

  /** The kept weights in increasing bucket order (what the file format stores). */
  entries(): { buckets: Int32Array; weights: Float32Array } {
    const order: number[] = [];
    for (let slot = 0; slot <= this.mask; slot++) if (this.words[2 * slot] !== EMPTY) order.push(slot);
    order.sort((a, b) => (this.words[2 * a] as number) - (this.words[2 * b] as number));
    return {
      buckets: Int32Array.from(order, (slot) => this.words[2 * slot] as number),
      weights: Float32Array.from(order, (slot) => this.floats[2 * slot + 1] as number),
    };
  }
}
