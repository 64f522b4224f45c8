/**
 * The rating a report reads in a cell: its leading number ("4", "4.0", "4,5", "4 stars", "4/5"), or undefined when
 * it has none. One reading for the report's tally (tally.ts) and the job's look at the first rows before a paid run
 * (preflight/report-values.ts), so the two never disagree on what is a rating.
 */
export function parseRating(value: string): number | undefined {
  const match = /^\s*(\d+(?:[.,]\d+)?)/.exec(value);
  const stars = match ? Number(match[1]!.replace(',', '.')) : NaN;
  return Number.isFinite(stars) ? stars : undefined;
}
