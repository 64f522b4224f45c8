import { describe, expect, it } from 'vitest';
import { groupedNumber } from '../src/wording/grouped-number.js';

/** Seeded, so a failure names a value that fails again. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const intl = (value: number, digits = 3) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('groupedNumber writes what toLocaleString("en-US") writes', () => {
  it('for whole numbers, and the edges of each group of three', () => {
    const values = [0, -0, 1, -1, 7, 999, 1000, 1001, 9999, 10_000, 123_456, 999_999, 1_000_000, 1_048_576, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e20, 123e18, -1_234_567];
    for (const value of values) expect(groupedNumber(value), String(value)).toBe(value.toLocaleString('en-US'));
    expect(groupedNumber(1_234_567)).toBe('1,234,567');
    expect(groupedNumber(-0)).toBe('-0');
  });

  it('for fractions, halves (in the shortest digits, not the binary value) and carries included', () => {
    const values = [0.024, 30.5265, 1.0005, 2.0005, 1.2345, 0.0125, 0.0005, 0.0004999, 999.9995, 999_999.9999, 123_456.7895, -0.0001, -0.0005, -2.5, 0.1 + 0.2, 1e-6, 5e-7];
    for (const value of values) {
      for (const digits of [0, 1, 2, 3, 6]) expect(groupedNumber(value, digits), `${value} with ${digits}`).toBe(intl(value, digits));
    }
    expect(groupedNumber(30.5265)).toBe('30.527');
    expect(groupedNumber(1.0005)).toBe('1.001');
  });

  it('for 20,000 seeded values of every size, with 0 to 4 fraction digits', () => {
    const random = rng(20261202);
    // One Intl format per digit count: toLocaleString builds a new one at every call (what makes it slow).
    const formats = [0, 1, 2, 3, 4].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 26 - 6);
      const raw = (random() - 0.3) * magnitude;
      // A third on a 4-decimal grid, where halves are common.
      const value = i % 3 === 0 ? Math.round(raw * 10_000) / 10_000 : raw;
      const digits = i % 5;
      const expected = (formats[digits] as Intl.NumberFormat).format(value);
      if (groupedNumber(value, digits) !== expected) mismatches.push(`${value} (${digits}): ${groupedNumber(value, digits)} vs ${expected}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('leaves what it does not handle to Intl', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, 1e21, 1.5e300, 1e-7]) expect(groupedNumber(value)).toBe(value.toLocaleString('en-US'));
  });
});
