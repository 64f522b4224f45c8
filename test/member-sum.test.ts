import { describe, expect, it } from 'vitest';
import { FeatureIdBuffer } from '../src/model/feature-id-buffer.js';
import { MemberSum } from '../src/model/member-sum.js';
import { createRng } from '../src/model/rng.js';
import { WeightTable } from '../src/model/weight-table.js';

function bufferOf(ids: readonly number[]): FeatureIdBuffer {
  const buffer = new FeatureIdBuffer();
  for (const id of ids) buffer.push(id);
  return buffer;
}

function tableOf(weights: ReadonlyMap<number, number>): WeightTable {
  const table = new WeightTable(weights.size);
  for (const [id, w] of weights) table.set(id, w);
  return table;
}

/** The sum the scoring path has always made: the distinct ids in ascending order, each weight once. */
function ascending(ids: readonly number[], table: WeightTable): { sum: number; distinct: number } {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  let sum = 0;
  for (const id of sorted) sum += table.get(id);
  return { sum, distinct: sorted.length };
}

describe("a member's sum over a sentence's distinct ids", () => {
  it('is the ascending-order sum to the bit, repeats and missing ids counted once, sentence after sentence', () => {
    const rng = createRng(11);
    const weights = new Map<number, number>();
    // Weights spread like the shipped model's (2^-11 to about 2^4, either sign), float32 as the file stores them.
    for (let i = 0; i < 3000; i++) weights.set(Math.floor(rng() * 2 ** 22), Math.fround((rng() < 0.5 ? -1 : 1) * 2 ** (rng() * 15 - 11)));
    const table = tableOf(weights);
    const known = [...weights.keys()];
    const summer = new MemberSum();
    for (let sentence = 0; sentence < 300; sentence++) {
      // Short and long sentences (past the set's first 1,024 slots), a quarter of the ids without a weight, repeats.
      const count = sentence % 50 === 0 ? 1500 : 1 + Math.floor(rng() * 200);
      const ids = Array.from({ length: count }, () => (rng() < 0.25 ? Math.floor(rng() * 2 ** 22) : (known[Math.floor(rng() * known.length)] as number)));
      for (let k = 0; k < count / 5; k++) ids.push(ids[Math.floor(rng() * ids.length)] as number);
      const expected = ascending(ids, table);
      expect(Object.is(summer.sum(bufferOf(ids), table), expected.sum)).toBe(true);
      expect(summer.distinct).toBe(expected.distinct);
    }
  });

  it('sums in ascending id order when an addition could round (weights 2^60 apart)', () => {
    // In ascending order 2^30 + 2^-30 rounds to 2^30, and the sum is 0; in the order collected it would be 2^-30.
    const table = tableOf(new Map([[1, 2 ** 30], [2, 2 ** -30], [3, -(2 ** 30)]]));
    const summer = new MemberSum();
    expect(Object.is(summer.sum(bufferOf([1, 3, 2, 3]), table), 0)).toBe(true);
    expect(summer.distinct).toBe(3);
    // The same summer then sums an ordinary sentence as it comes.
    expect(summer.sum(bufferOf([2, 9, 2]), table)).toBe(2 ** -30);
    expect(summer.distinct).toBe(2);
  });

  it('is NaN for a NaN weight and +0 for no weights at all', () => {
    const summer = new MemberSum();
    expect(summer.sum(bufferOf([4, 5]), tableOf(new Map([[4, Number.NaN], [5, 1]])))).toBeNaN();
    expect(Object.is(summer.sum(bufferOf([7, 8, 7]), tableOf(new Map([[4, -1]]))), 0)).toBe(true);
    expect(summer.distinct).toBe(2);
  });
});
