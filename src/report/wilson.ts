/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** A share with its 95 % Wilson score interval; `undefined` figures when there are no rows. */
export interface Share {
  rows: number;
  positive: number;
  share: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The positive share of `rows` with its 95 % Wilson score interval (Wilson 1927).
 * Wilson rather than the normal approximation because groups can be small and
 * shares close to 0 or 1, where p ± z·√(p(1−p)/n) leaves [0, 1] or collapses to a point.
 */
export function wilsonShare(positive: number, rows: number): Share {
  if (rows === 0) return { rows, positive, share: null, low: null, high: null };
  const p = positive / rows;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / rows;
  const centre = (p + z2 / (2 * rows)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / rows + z2 / (4 * rows * rows));
  // At 0 of n the bound is 0 and at n of n it is 1, exactly: centre − half rounded to 2.8e-17 at 0 of 7, in the JSON.
  const low = positive === 0 ? 0 : Math.max(0, centre - half);
  const high = positive === rows ? 1 : Math.min(1, centre + half);
  return { rows, positive, share: p, low, high };
}
