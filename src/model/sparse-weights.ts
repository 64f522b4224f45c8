/**
 * A member's weights stored sparsely: only a small share of the hashed
 * buckets ever occur in training, the rest are 0. Each weight is quantised to
 * int16 (weight = int16 * weightScale, as in format version 2); the non-zero
 * ones are stored as their int16 values, in bucket order, plus the buckets as
 * varint gaps (bucket = previous bucket + gap + 1; almost every gap fits one
 * byte). Gap coding cannot express an unsorted or repeated bucket.
 *
 * Decoding puts `int16 * weightScale`, as a float32, into a WeightTable:
 * exactly the value format version 2's dense decoding gave each bucket.
 */
import { WeightTable } from './weight-table.js';

/** Seven bits of gap per byte; four bytes reach 2^28, beyond any hashBits allowed (24). */
const MAX_GAP_BYTES = 4;
const INT16_MAX = 32767;

export interface SparseWeights {
  weightScale: number;
  /** Quantised non-zero weights, in bucket order. */
  values: Int16Array;
  /** Varint gaps between their buckets. */
  gaps: Buffer;
}

/** Quantises `table`'s weights to int16 (scale: the largest magnitude maps to 32767) and keeps the non-zero ones. */
export function encodeSparseWeights(table: WeightTable): SparseWeights {
  const { buckets, weights } = table.entries();
  let maxAbs = 0;
  for (const w of weights) maxAbs = Math.max(maxAbs, Math.abs(w));
  const weightScale = maxAbs > 0 ? maxAbs / INT16_MAX : 1;
  const values: number[] = [];
  const gaps: number[] = [];
  let previous = -1;
  for (let k = 0; k < buckets.length; k++) {
    const bucket = buckets[k] as number;
    const quantised = Math.round((weights[k] as number) / weightScale);
    // Math.round(-0.3) is -0: a zero either way, and not stored.
    if (quantised === 0) continue;
    values.push(quantised);
    let gap = bucket - previous - 1;
    while (gap >= 0x80) {
      gaps.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    gaps.push(gap);
    previous = bucket;
  }
  return { weightScale, values: Int16Array.from(values), gaps: Buffer.from(gaps) };
}

/**
 * Scatters `values` over `size` buckets at the positions `gaps` encodes.
 * Throws when the gaps run out or are left over, overrun `size`, or a gap is too long.
 */
export function decodeSparseWeights(size: number, weightScale: number, values: Int16Array, gaps: Uint8Array): WeightTable {
  const weights = new WeightTable(values.length);
  walkBuckets(size, values.length, gaps, (k, bucket) => weights.set(bucket, (values[k] as number) * weightScale));
  return weights;
}

/**
 * Throws what decodeSparseWeights would for these gaps, without building the table: the embedded scorer checks its
 * file when loaded (a damaged one refused before any row is written) and decodes the weights at its first text.
 */
export function checkSparseWeights(size: number, values: Int16Array, gaps: Uint8Array): void {
  walkBuckets(size, values.length, gaps, () => {});
}

/** Calls `visit` with each of the `count` weights' index and bucket, in order; throws when the gaps do not fit them. */
function walkBuckets(size: number, count: number, gaps: Uint8Array, visit: (k: number, bucket: number) => void): void {
  const end = gaps.length;
  let at = 0;
  let bucket = -1;
  for (let k = 0; k < count; k++) {
    if (at >= end) throw new Error(`its bucket ids end after ${k} of the ${count} weights its header announces`);
    let byte = gaps[at++] as number;
    let gap = byte & 0x7f;
    for (let shift = 7; byte > 0x7f; shift += 7) {
      if (shift >= 7 * MAX_GAP_BYTES || at >= end) throw new Error(`its bucket id ${k} is not a valid varint`);
      byte = gaps[at++] as number;
      gap |= (byte & 0x7f) << shift;
    }
    bucket += gap + 1;
    if (bucket >= size) throw new Error(`its bucket id ${bucket} is out of range (the member has ${size} buckets)`);
    visit(k, bucket);
  }
  if (at !== end) throw new Error(`it holds ${end - at} bytes of bucket ids beyond the ${count} weights its header announces`);
}
