import { describe, expect, it } from 'vitest';
import { headerOnlyWarning } from '../src/job/header-only-warning.js';
import { emptyTotals } from '../src/state/totals.js';

describe('an export that held only its header', () => {
  it('is said in one line, for a file output and for standard output', () => {
    expect(headerOnlyWarning({ totals: emptyTotals(), output: '/data/out.csv' })).toBe(
      'the export had no rows: the input holds only its header, and the output is now a header-only file, replacing any earlier output at its path; check the export',
    );
    expect(headerOnlyWarning({ totals: emptyTotals(), output: '-' })).toBe(
      'the export had no rows: the input holds only its header, and only the header was written to standard output; check the export',
    );
  });

  it('is not said once a row was read, whatever became of it', () => {
    expect(headerOnlyWarning({ totals: { ...emptyTotals(), read: 1, skipped: 1 }, output: '/data/out.csv' })).toBeUndefined();
  });
});
