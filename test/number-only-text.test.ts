import { describe, expect, it } from 'vitest';
import { isNumberOnly, isNumberOnlyRows, numberOnlySentence, withNumberOnlyRows } from '../src/scoring/number-only-text.js';
import { JobLabels } from '../src/state/label-counts.js';

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

describe("the output's count of them, as the checkpoint carries it", () => {
  it('two parts add: the rows summed, the first the lower; a part of none adds nothing', () => {
    expect(withNumberOnlyRows({ rows: 2, firstRow: 40 }, { rows: 1, firstRow: 7 })).toEqual({ rows: 3, firstRow: 7 });
    expect(withNumberOnlyRows({ rows: 0, firstRow: 0 }, { rows: 1, firstRow: 7 })).toEqual({ rows: 1, firstRow: 7 });
    expect(withNumberOnlyRows(undefined, undefined)).toEqual({ rows: 0, firstRow: 0 });
  });
  it('a count a run could have written: no more than the rows scored, the first a row read', () => {
    const totals = { read: 10, scored: 8 };
    expect(isNumberOnlyRows({ rows: 2, firstRow: 3 }, totals)).toBe(true);
    expect(isNumberOnlyRows({ rows: 0, firstRow: 0 }, totals)).toBe(true);
    for (const edited of [{ rows: 9, firstRow: 1 }, { rows: 1, firstRow: 11 }, { rows: 1, firstRow: 0 }, { rows: 0, firstRow: 4 }, { rows: 1.5, firstRow: 2 }, { rows: -1, firstRow: 1 }, { rows: '2', firstRow: 3 }, null, 3]) {
      expect(isNumberOnlyRows(edited, totals)).toBe(false);
    }
  });
  it("a job's: known from a fresh start or a checkpoint that keeps it, unknown from an older one with rows scored", () => {
    const labels = new JobLabels();
    labels.startFrom(undefined);
    expect(labels.numberOnlyWith({ rows: 1, firstRow: 4 })).toEqual({ rows: 1, firstRow: 4 });
    labels.startFrom({ totals: { scored: 5 }, numberOnly: { rows: 1, firstRow: 2 } });
    expect(labels.numberOnlyWith({ rows: 1, firstRow: 9 })).toEqual({ rows: 2, firstRow: 2 });
    labels.startFrom({ totals: { scored: 5 } });
    expect(labels.numberOnlyWith({ rows: 1, firstRow: 9 })).toBeUndefined();
    labels.startFrom({ totals: { scored: 0 } });
    expect(labels.numberOnlyWith(undefined)).toEqual({ rows: 0, firstRow: 0 });
  });
});
