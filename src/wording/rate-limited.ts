import { counted } from './counted.js';

/**
 * Rows that gave up on 429 "rate limited" answers (code 3021, or none) although the run kept to --rpm: the
 * account's limit is lower than --rpm, or other work uses the account. Running again as it was meets the same
 * limit, so the line says what to change.
 */
export function rateLimitedAdvice(rows: number): string {
  return (
    `${counted(rows, 'row')} gave up on the service's per-minute limit (429, code 3021) although this run kept to --rpm: ` +
    "the account's limit is lower, or other work uses the account; lower --rpm, or share the limit with the other jobs through --redis (docs/shared-limit.md)"
  );
}
