import { describe, expect, it } from 'vitest';
import { isNumberOnly, numberOnlySentence } from '../src/scoring/number-only-text.js';

describe('a text that is only a number', () => {
  it.each(['3', '4.5', ' 10 ', '-1', '+2', '1,000', '1.234,5', '0,5', '.5', '４', '3\n'])('%j is one', (text) => {
    expect(isNumberOnly(text)).toBe(true);
  });
  // A word or a sign of its scale says something a reader takes for praise or blame; a date or a code is not a review's number.
  it.each(['', ' ', '10/10', '5 stars', '100%', '3!', '#1', '1.', 'A+', '2026-12-06', 'v2', '1 2', 'gr8'])('%j is not', (text) => {
    expect(isNumberOnly(text)).toBe(false);
  });
  it('the sentence counts them and names the first row, in the singular for one', () => {
    expect(numberOnlySentence({ rows: 12, firstRow: 5 })).toBe('12 texts are only a number (the first: row 5): their scores say nothing of sentiment');
    expect(numberOnlySentence({ rows: 1, firstRow: 1234 })).toBe('1 text is only a number (row 1,234): its score says nothing of sentiment');
  });
});
