/**
 * A linear member's sum of weights over a sentence's distinct feature ids, to the bit the sum in ascending id order
 * that training and scoring have always made, without sorting the ids.
 *
 * Why: sorting the ids (to sum in a fixed order and drop repeats) was about half of the character n-gram member's
 * time. The order of a float64 sum matters only when one of its additions rounds, and none can here: each weight is a
 * float32, so an integer multiple of 2^(e - 23), e the smallest exponent among them, and every partial sum is a
 * multiple of it no larger than the sum of the magnitudes. While that bound is at most 2^53 of those units, every
 * partial sum is a float64 exactly, in any order, so every order gives the exact sum. In numbers: with `hits` nonzero
 * weights, hits x max|w| <= 2^28 x min|w| is enough (2^(e_max + 1) <= 2 max|w| and 2^e_min > min|w| / 2). The shipped
 * weights span 2^-11 to 2^4, so a sentence needs about 6,000 distinct weighted ids to miss it; when it is missed
 * (or a weight is not finite) the ids are sorted and summed in ascending order, as ever. Zeros and missing ids add
 * nothing: a sum started at +0 never becomes -0.
 *
 * Repeats (an n-gram twice in a sentence, two n-grams in one bucket) count once: a set of the sentence's ids, never
 * cleared but stamped with the sentence's generation, finds them.
 */
import type { FeatureIdBuffer } from './feature-id-buffer.js';
import { sortDistinct } from './features.js';
import type { WeightTable } from './weight-table.js';

/** hits x max|w| <= EXACT_RATIO x min|w|: no partial sum rounds (see above). */
const EXACT_RATIO = 2 ** 28;

export class MemberSum {
  /** Slot s holds keys[s] when stamps[s] is the current generation; free otherwise. */
  private keys = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private generation = 0;
  /** How many distinct ids the last `sum` saw (missing ones included): the member's feature count. */
  distinct = 0;

  /**
   * The sum of `weights` over the distinct ids of `ids.ids[0 .. ids.length)`, equal to the bit to their sum in
   * ascending id order. May leave the ids sorted and deduplicated (when it has to sum them in order).
   */
  sum(ids: FeatureIdBuffer, weights: WeightTable): number {
    const length = ids.length;
    this.nextGeneration(length);
    const { keys, stamps, generation } = this;
    const mask = keys.length - 1;
    const list = ids.ids;
    let distinct = 0;
    let hits = 0;
    let sum = 0;
    let maxAbs = 0;
    let minAbs = Infinity;
    for (let k = 0; k < length; k++) {
      const id = list[k] as number;
      // Ids are already well-mixed hashes (features.ts): their low bits pick the slot.
      let slot = id & mask;
      let repeat = false;
      while (stamps[slot] === generation) {
        if (keys[slot] === id) {
          repeat = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (repeat) continue;
      stamps[slot] = generation;
      keys[slot] = id;
      distinct++;
      const w = weights.get(id);
      if (w === 0) continue;
      hits++;
      sum += w;
      const a = Math.abs(w);
      // Written so that a NaN weight lands in maxAbs, and fails the test below.
      if (!(a <= maxAbs)) maxAbs = a;
      if (a < minAbs) minAbs = a;
    }
    this.distinct = distinct;
    if (maxAbs < Infinity && hits * maxAbs <= EXACT_RATIO * minAbs) return sum;
    return this.ascendingSum(ids, weights);
  }

  /** The sum in ascending id order (sorting the ids in place): what `sum` gives when its additions could round. */
  private ascendingSum(ids: FeatureIdBuffer, weights: WeightTable): number {
    sortDistinct(ids);
    const { ids: list, length } = ids;
    let sum = 0;
    for (let k = 0; k < length; k++) sum += weights.get(list[k] as number);
    this.distinct = length;
    return sum;
  }

  /** A new generation (every slot free at once), with at least twice `length` slots. */
  private nextGeneration(length: number): void {
    if (this.keys.length < 2 * length) {
      let size = this.keys.length;
      while (size < 2 * length) size *= 2;
      this.keys = new Int32Array(size);
      this.stamps = new Uint32Array(size);
    }
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }
}
