import { describe, expect, it } from 'vitest';
import { WeightTable } from '../src/model/weight-table.js';

describe('the weight table', () => {
  it('reads back what was set, and 0 for buckets that have no weight', () => {
    const table = new WeightTable(3);
    table.set(5, 1.5);
    table.set(2 ** 22 - 1, -0.25);
    expect(table.get(5)).toBe(1.5);
    expect(table.get(2 ** 22 - 1)).toBe(-0.25);
    expect(table.get(6)).toBe(0);
    expect(table.get(0)).toBe(0);
    expect(table.size).toBe(2);
  });

  it('keeps buckets that share a slot apart (probing past the occupied ones, wrapping at the end)', () => {
    const table = new WeightTable(4); // 8 slots: buckets equal modulo 8 collide
    for (const [bucket, weight] of [[7, 1], [15, 2], [23, 3], [31, 4]] as const) table.set(bucket, weight);
    expect([7, 15, 23, 31, 39, 0].map((b) => table.get(b))).toEqual([1, 2, 3, 4, 0, 0]);
  });

  it('overwrites a bucket set twice, and refuses more weights than it was made for', () => {
    const table = new WeightTable(2);
    table.set(1, 1);
    table.set(1, 2);
    table.set(9, 3);
    expect(table.get(1)).toBe(2);
    expect(table.size).toBe(2);
    expect(() => table.set(17, 4)).toThrow(/full/);
  });

  it('stores weights as float32, lists them in bucket order, and leaves out zeros of a dense array', () => {
    const dense = new Float32Array(64);
    dense[40] = 0.1;
    dense[3] = -2;
    dense[17] = 7;
    const table = WeightTable.fromDense(dense);
    expect(table.size).toBe(3);
    expect(table.get(40)).toBe(Math.fround(0.1));
    const { buckets, weights } = table.entries();
    expect([...buckets]).toEqual([3, 17, 40]);
    expect([...weights]).toEqual([-2, 7, Math.fround(0.1)]);
  });
});
