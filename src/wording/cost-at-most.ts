/**
 * A cost in dollars as the run's summary and its report page both say it (`cost at most $0.0001`): to 4 decimals, rounded up.
 * A bound rounded down would be below what it bounds (the page said `$0.0001` of $0.000118), and the two said one
 * run's cost two ways: the summary `cost $0.0000` (rounded to the nearest), its report `cost at most $0.0001`.
 */
export function costAtMost(usd: number): string {
  // The small margin keeps a float just over an exact value (0.0001 * 1e4 = 1.0000000000000002) from rounding up.
  return `$${Math.max(0, Math.ceil(usd * 1e4 - 1e-6) / 1e4).toFixed(4)}`;
}
