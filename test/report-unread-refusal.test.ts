import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { DEFAULT_LIMITS, Tally } from '../src/report/tally.js';
import { refuseUnreadColumns } from '../src/report/unread-refusal.js';

// Which --date and --rating columns the report refuses (exit 2, nothing written): a value in some scored row and none
// read in any; not a column read in some rows, nor one empty in every row (test/e2e-report-unread-refused.test.ts
// runs the command).
function figures(cells: Array<string | undefined>, date: boolean) {
  const tally = new Tally({ ...DEFAULT_LIMITS });
  cells.forEach((cell, i) =>
    tally.add({ row: i + 1, text: 't', outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date: date ? cell : undefined, rating: date ? undefined : cell }),
  );
  return figuresOf(tally, { input: 'x.csv', by: undefined, date: date ? 'd' : undefined, rating: date ? undefined : 'r', groupsShown: 20, maxDailyPoints: 120, run: null, model: null, now: new Date(0) });
}
const FLAGS = { date: '--date', rating: '--rating' };

describe('a --date or --rating column with no readable value', () => {
  it('refuses a date column with values and no date, empty cells among them', () => {
    expect(() => refuseUnreadColumns(figures(['soon', '', 'later'], true), FLAGS)).toThrow(/^--date d: no date could be read in any of the 3 scored rows \(e\.g\. 'soon', 'later'\);/);
  });

  it("refuses a rating column with values and no rating; says how many had one when others were empty", () => {
    expect(() => refuseUnreadColumns(figures(['five', '', 'n/a'], false), FLAGS)).toThrow(
      /^--rating r: no rating could be read in any of the 3 scored rows \(2 scored rows have a value with no leading number, the others none\); a rating/,
    );
  });

  it('accepts a column read in one row, and one empty in every row', () => {
    expect(() => refuseUnreadColumns(figures(['soon', '2026-11-03'], true), FLAGS)).not.toThrow();
    expect(() => refuseUnreadColumns(figures(['five', '4 stars'], false), FLAGS)).not.toThrow();
    expect(() => refuseUnreadColumns(figures(['', undefined], true), FLAGS)).not.toThrow();
    expect(() => refuseUnreadColumns(figures(['', undefined], false), FLAGS)).not.toThrow();
  });

  it("after score's run, says the output is complete", () => {
    expect(() => refuseUnreadColumns(figures(['soon'], true), { date: '--report-date', rating: '--report-rating' }, true)).toThrow(
      /^--report-date d: no date could be read in the 1 scored row .*; no report written \(the output is complete: the same command with the right column writes only the report\)$/,
    );
  });
});
