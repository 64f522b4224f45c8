import { describe, expect, it } from 'vitest';
import { CommaDecimalCells } from '../src/preflight/decimal-comma.js';

function firstOf(columns: string[], rows: string[][], delimiter = ';'): { column: string; cell: string } | undefined {
  const cells = new CommaDecimalCells(columns, ['review'], delimiter);
  rows.forEach((row) => cells.add(row));
  return cells.first;
}

// The start-up hint that an export writes its numbers with a decimal comma (decimal-comma.ts) judges a column by all of
// its first cells: a tab-separated export's list of sizes (`8,10`, then `6,8,10`) is no number, and said nothing of.
describe('CommaDecimalCells', () => {
  it('names the first decimal comma of a column of numbers (a German export: 4,5 beside whole numbers and blanks)', () => {
    expect(firstOf(['id', 'Bewertung', 'review'], [['1', '5', 'gut'], ['2', '', 'ok'], ['3', '4,5', 'schön'], ['4', '3', 'na']])).toEqual({ column: 'Bewertung', cell: '4,5' });
    expect(firstOf(['id', 'Preis', 'review'], [['1', '12,99', 'gut'], ['2', '9,5', 'ok']])).toEqual({ column: 'Preis', cell: '12,99' });
  });

  it('leaves out a column whose other cells show it holds no number: a list, a word, a second comma', () => {
    expect(firstOf(['id', 'sizes', 'review'], [['1', '8,10', 'Great shoes'], ['2', '6,8,10', 'Nice']])).toBeUndefined();
    expect(firstOf(['id', 'sizes', 'review'], [['1', '8,10', 'Great shoes'], ['2', 'S,M', 'Nice']])).toBeUndefined();
    // Another column's decimal comma is still named.
    expect(firstOf(['sizes', 'price', 'review'], [['8,10', '12,99', 'Great'], ['6,8,10', '9,5', 'Nice']])).toEqual({ column: 'price', cell: '12,99' });
  });

  // A tab-separated export whose one such column holds only two-item lists (`8,10`, `6,8`) was said to write a decimal
  // comma. Not `;`-separated (the list separator of a locale whose decimal mark is the comma), a column counts only with
  // a cell no list of whole numbers is written as, or beside another column of such numbers.
  it('not ;-separated: needs a cell no list is written as (3,0 or 12,05, 0,9819), or two such columns', () => {
    const sizes = [['1', '8,10', 'Great shoes'], ['2', '6,8', 'Nice']];
    expect(firstOf(['id', 'sizes', 'review'], sizes, '\t')).toBeUndefined();
    expect(firstOf(['id', 'sizes', 'review'], sizes, '|')).toBeUndefined();
    expect(firstOf(['id', 'rating', 'review'], [['1', '4,5', 'Great'], ['2', '3,0', 'Nice']], '\t')).toEqual({ column: 'rating', cell: '4,5' });
    expect(firstOf(['id', 'price', 'review'], [['1', '12,99', 'Great'], ['2', '5,00', 'Nice']], '\t')).toEqual({ column: 'price', cell: '12,99' });
    expect(firstOf(['id', 'score', 'review'], [['1', '0,9819', 'Great']], '\t')).toEqual({ column: 'score', cell: '0,9819' });
    expect(firstOf(['rating', 'price', 'review'], [['4,5', '12,99', 'Great'], ['5', '9,5', 'Nice']], '\t')).toEqual({ column: 'rating', cell: '4,5' });
    // `;`-separated, the same lists are still taken for numbers: that delimiter says the locale's decimal mark is the comma.
    expect(firstOf(['id', 'sizes', 'review'], sizes, ';')).toEqual({ column: 'sizes', cell: '8,10' });
  });

  // A tab-separated German export whose one such column holds half-step ratings (`4,5`, `3,5` beside `5`) said nothing:
  // each cell could be a list of two sizes. Half steps, two of them at least and every decimal comma of the column one,
  // are a rating's: a list column holds others (`8,10`, `6,8`), and a single `4,5` may still be a list.
  it('not ;-separated: a column whose decimal commas are all half steps (4,5 and 3,5), two kinds at least', () => {
    const ratings = [['1', '4,5', 'Sehr gut'], ['2', '5', 'Perfekt'], ['3', '3,5', 'Ganz okay'], ['4', '4,5', 'Schnell']];
    expect(firstOf(['id', 'Bewertung', 'review'], ratings, '\t')).toEqual({ column: 'Bewertung', cell: '4,5' });
    // Lists still say nothing: one half step alone, or beside another list.
    expect(firstOf(['id', 'sizes', 'review'], [['1', '4,5', 'Great'], ['2', '4,5', 'Nice'], ['3', '6', 'Ok']], '\t')).toBeUndefined();
    expect(firstOf(['id', 'sizes', 'review'], [['1', '4,5', 'Great'], ['2', '3,5', 'Nice'], ['3', '8,10', 'Ok']], '\t')).toBeUndefined();
    expect(firstOf(['id', 'sizes', 'review'], [['1', '4,5', 'Great'], ['2', '6,8', 'Nice'], ['3', '3,5', 'Ok']], '\t')).toBeUndefined();
  });
});
