import { describe, expect, it } from 'vitest';
import { CommaDecimalCells } from '../src/preflight/decimal-comma.js';

function firstOf(columns: string[], rows: string[][]): { column: string; cell: string } | undefined {
  const cells = new CommaDecimalCells(columns, ['review']);
  rows.forEach((row) => cells.add(row));
  return cells.first;
}

// The start-up hint that an export writes its numbers with a decimal comma (decimal-comma.ts) judges a column by all of
// its first cells: a tab-separated export's list of sizes (`8,10`, then `6,8,10`) is no number, and said nothing of.
describe('CommaDecimalCells', () => {
  it('names the first decimal comma of a column of numbers (a German export: 4,5 beside whole numbers and blanks)', () => {
    expect(firstOf(['id', 'Bewertung', 'review'], [['1', '5', 'gut'], ['2', '', 'ok'], ['3', '4,5', 'schön'], ['4', '3', 'na']])).toEqual({ column: 'Bewertung', cell: '4,5' });
  });

  it('leaves out a column whose other cells show it holds no number: a list, a word, a second comma', () => {
    expect(firstOf(['id', 'sizes', 'review'], [['1', '8,10', 'Great shoes'], ['2', '6,8,10', 'Nice']])).toBeUndefined();
    expect(firstOf(['id', 'sizes', 'review'], [['1', '8,10', 'Great shoes'], ['2', 'S,M', 'Nice']])).toBeUndefined();
    // Another column's decimal comma is still named.
    expect(firstOf(['sizes', 'price', 'review'], [['8,10', '12,99', 'Great'], ['6,8,10', '9,5', 'Nice']])).toEqual({ column: 'price', cell: '12,99' });
  });
});
