/**
 * The rating a report reads in a cell: its leading number ("4", "4.0", "4,5", "4 stars", "4/5"), or the count of filled
 * stars of a cell of stars only ("★★★★☆", "⭐⭐⭐", as an export scraped or copied from a review page writes them), or
 * undefined when it has neither. One reading for the report's tally (tally.ts) and the job's look at the first rows
 * before a paid run (preflight/report-values.ts), so the two never disagree on what is a rating.
 */
export function parseRating(value: string): number | undefined {
  const match = /^\s*(\d+(?:[.,]\d+)?)/.exec(value);
  if (match === null) return starCount(value);
  const stars = Number(match[1]!.replace(',', '.'));
  return Number.isFinite(stars) ? stars : undefined;
}

/** Filled (★ U+2605, ⭐ U+2B50) and empty (☆ U+2606) stars, spaces and emoji presentation selectors, nothing else. */
const STARS_ONLY = /^[\s\u2605\u2606\u2b50\ufe0f]+$/;

function starCount(value: string): number | undefined {
  if (!STARS_ONLY.test(value)) return undefined;
  const filled = [...value].filter((c) => c === '\u2605' || c === '\u2b50').length;
  return filled > 0 ? filled : undefined;
}
