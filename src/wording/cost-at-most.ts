import { FREE_NEURONS_PER_DAY } from '../scoring/pricing.js';
import { groupedNumber } from './grouped-number.js';

/**
 * A cost in dollars as the run's summary and its report page both say it (`cost at most $0.0001`): to 4 decimals, rounded up.
 * A bound rounded down would be below what it bounds (the page said `$0.0001` of $0.000118), and the two said one
 * run's cost two ways: the summary `cost $0.0000` (rounded to the nearest), its report `cost at most $0.0001`.
 */
export function costAtMost(usd: number): string {
  // The small margin keeps a float just over an exact value (0.0001 * 1e4 = 1.0000000000000002) from rounding up.
  return `$${Math.max(0, Math.ceil(usd * 1e4 - 1e-6) / 1e4).toFixed(4)}`;
}

/**
 * What a `cost at most` bound is of, said after it on the summary line and on the report page alike: the list price of
 * every neuron, while a day's first 10,000 are free, so most small jobs pay nothing. The page said the bound alone.
 */
export function beforeFreeNeurons(): string {
  return `at list price, before the free ${groupedNumber(FREE_NEURONS_PER_DAY)} neurons a day`;
}
