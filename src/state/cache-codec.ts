import { createHash } from 'node:crypto';

import { isModelAnswer } from '../scoring/model-answer.js';
import type { Scores } from '../scoring/scorer.js';
import { updateWithText } from './text-digest.js';

/**
 * How one cache entry is laid out in LMDB. Kept apart from the store so the
 * format is written down in one place (docs/cost.md describes it too).
 *
 * Key: sha256(modelId + "\0" + text), 32 bytes, the text fed by text-digest.ts. Fixed size whatever the text
 * (LMDB keys are limited to ~500 bytes), and the model id is part of it so
 * two models never share an answer.
 *
 * Value (little-endian), 18 or 26 bytes:
 *   0      format (1)
 *   1      flags: bit 0 label is POSITIVE, bit 1 negative stored explicitly
 *   2..3   uint16 day written (days since 1970-01-01 UTC): the maximum age counts from it
 *   4..5   check, its first 2 bytes
 *   6..7   uint16 day last used (written or hit): eviction by count removes the least recent
 *   8..9   check, its last 2 bytes
 *   10..17 float64 positive
 *   18..25 float64 negative, only when it is not exactly 1 - positive
 * The check is the first 4 bytes of the sha256 of the value with those 4 bytes zero.
 * Float64 keeps every bit of the service's numbers, so a cached row is
 * written byte for byte as the service's answer was.
 *
 * The check: LMDB checks its pages, not the values in them, and a value changed in place into another answer a model
 * could give (positive 0.9 → 0.6, the label still the larger score's) passed every other check and was served, a wrong
 * score written with exit 0. It sits in the high halves of the two days, which earlier versions wrote as uint32 (a day
 * fits 16 bits until 2149) and left zero: a value without it (all four bytes zero) is an earlier version's, read as it
 * was, so a cache is not paid for again because this version came; its entries get the check when a hit rewrites them
 * (a week or more after their last use, cache.ts), or when they are scored again. An earlier version reads this
 * version's values too, their days as far in the future (never expired, evicted by count last). A check appended
 * instead (a longer value) would not be: an earlier version sharing the cache would delete every such value at its
 * open's expiry scan, without a word, and send their texts again (measured with a build that did: 60 of 60).
 */

export const KEY_BYTES = 32;
const FORMAT = 1;
/** Days above this do not leave the check its 16 bits: written without it (after 2149). */
const MAX_CHECKED_DAY = 0xffff;
const LABEL_POSITIVE = 0b01;
const NEGATIVE_STORED = 0b10;
const SHORT_BYTES = 18;
const LONG_BYTES = 26;
const CHECK_BYTES = 4;
const MS_PER_DAY = 86_400_000;

/** The LMDB key of (modelId, text). */
export function cacheKey(modelId: string, text: string): Buffer {
  return updateWithText(createHash('sha256').update(modelId).update('\0'), text).digest();
}

/** Days since 1970-01-01 UTC of a millisecond timestamp. */
export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_DAY);
}

/** A decoded entry: the scores and its two day stamps. */
export interface CacheEntry {
  scores: Scores;
  writtenDay: number;
  usedDay: number;
}

export function encodeEntry(scores: Scores, writtenDay: number, usedDay: number = writtenDay): Buffer {
  const explicitNegative = scores.negative !== 1 - scores.positive;
  const value = Buffer.allocUnsafe(explicitNegative ? LONG_BYTES : SHORT_BYTES);
  value.writeUInt8(FORMAT, 0);
  value.writeUInt8((scores.label === 'POSITIVE' ? LABEL_POSITIVE : 0) | (explicitNegative ? NEGATIVE_STORED : 0), 1);
  value.writeUInt32LE(writtenDay, 2);
  value.writeUInt32LE(usedDay, 6);
  value.writeDoubleLE(scores.positive, 10);
  if (explicitNegative) value.writeDoubleLE(scores.negative, 18);
  if (writtenDay <= MAX_CHECKED_DAY && usedDay <= MAX_CHECKED_DAY) {
    const check = checkOf(value);
    check.copy(value, 4, 0, 2);
    check.copy(value, 8, 2, 4);
  }
  return value;
}

/** The check of a format-1 value: the first 4 bytes of the sha256 of its bytes with the check's own zero. */
function checkOf(value: Uint8Array): Buffer {
  const zeroed = copyOf(value);
  zeroed.fill(0, 4, 6);
  zeroed.fill(0, 8, 10);
  return createHash('sha256').update(zeroed).digest().subarray(0, CHECK_BYTES);
}

/** The value's bytes as format 1 with its days whole (uint32), when its check holds or it has none; undefined otherwise. */
function checkedBody(value: Uint8Array): Uint8Array | undefined {
  if (value[0] !== FORMAT || value.length < SHORT_BYTES) return undefined;
  const stored = Buffer.from([value[4] ?? 0, value[5] ?? 0, value[8] ?? 0, value[9] ?? 0]);
  // No check: an earlier version's value (or one written after 2149), read as it was.
  if (stored.every((byte) => byte === 0)) return value;
  if (!checkOf(value).equals(stored)) return undefined;
  const body = copyOf(value);
  body.fill(0, 4, 6);
  body.fill(0, 8, 10);
  return body;
}

/**
 * A copy of `value`'s first `length` bytes. LMDB's getBinaryFast gives a buffer reused by its next read, its `length`
 * the value's but its bytes the whole 16 MiB beneath (so not Buffer.from(value), nor copy.set(value)).
 */
function copyOf(value: Uint8Array): Buffer {
  const copy = Buffer.alloc(value.length);
  copy.set(Uint8Array.prototype.subarray.call(value, 0, value.length));
  return copy;
}

/**
 * The entry stored in `value`, or undefined when the bytes are not an entry of this format, or not an answer a model
 * gives (scoring/model-answer.ts), or whose check fails (above). LMDB checks its pages, not the values in them: a value's bytes changed in place (a
 * bad disk, a write by hand) were served as they were, `positive` 5 or NaN or a label its scores contradict, and
 * written to the output as an answer with exit 0. Undefined, the look-up is a miss and the text is sent again.
 */
export function decodeEntry(stored: Uint8Array): CacheEntry | undefined {
  const value = checkedBody(stored);
  if (value === undefined || (value.length !== SHORT_BYTES && value.length !== LONG_BYTES)) return undefined;
  const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const flags = view.readUInt8(1);
  if ((flags & ~(LABEL_POSITIVE | NEGATIVE_STORED)) !== 0) return undefined;
  const explicitNegative = (flags & NEGATIVE_STORED) !== 0;
  if (explicitNegative !== (value.length === LONG_BYTES)) return undefined;
  const positive = view.readDoubleLE(10);
  const negative = explicitNegative ? view.readDoubleLE(18) : 1 - positive;
  const label = (flags & LABEL_POSITIVE) !== 0 ? 'POSITIVE' : 'NEGATIVE';
  if (!isModelAnswer(label, positive, negative)) return undefined;
  return {
    scores: { label, positive, negative },
    writtenDay: view.readUInt32LE(2),
    usedDay: view.readUInt32LE(6),
  };
}
