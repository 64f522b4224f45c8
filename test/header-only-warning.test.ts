import { describe, expect, it } from 'vitest';
import { headerOnlyWarning } from '../src/job/header-only-warning.js';
import { emptyTotals, type Totals } from '../src/state/totals.js';

const RUN = { labels: {}, failuresByCode: {}, skippedByCode: {}, answeredRequests: 0, billableTokens: 0, billableNeurons: 0 };
const none = { totals: emptyTotals(), run: { ...RUN, totals: emptyTotals() } };
/** A job that read `read` rows, `headers` of them a header repeated, over `runRead` rows this run. */
const headers = (read: number, headers: number, runRead = read) => {
  const totals = (n: number): Totals => ({ ...emptyTotals(), read: n, skipped: n });
  return { totals: totals(read), run: { ...RUN, totals: totals(runRead), skippedByCode: { repeated_header: headers } } };
};

describe('an export that held only its header', () => {
  it('is said in one line, for a file output and for standard output', () => {
    expect(headerOnlyWarning({ ...none, output: '/data/out.csv' })).toBe(
      'the export had no rows: the input holds only its header, and the output is now a header-only file, replacing any earlier output at its path; check the export',
    );
    expect(headerOnlyWarning({ ...none, output: '-' })).toBe(
      'the export had no rows: the input holds only its header, and only the header was written to standard output; check the export',
    );
  });

  it('is said of exports joined with cat, each a header alone: every row read a header repeated', () => {
    expect(headerOnlyWarning({ ...headers(2, 2), output: '/data/out.csv' })).toBe(
      'the exports had no rows: every row read repeats the header (exports joined, each its header alone), and the output is now those headers alone, replacing any earlier output at its path; check the export',
    );
    expect(headerOnlyWarning({ ...headers(2, 2), output: '-' })).toMatch(/, and only those headers were written to standard output; check the export$/);
  });

  it('is not said once a row was read that is not a header repeated, nor of a resumed job', () => {
    expect(headerOnlyWarning({ ...headers(1, 0), output: '/data/out.csv' })).toBeUndefined();
    expect(headerOnlyWarning({ ...headers(3, 2), output: '/data/out.csv' })).toBeUndefined();
    expect(headerOnlyWarning({ ...headers(3, 1, 1), output: '/data/out.csv' })).toBeUndefined();
  });
});
