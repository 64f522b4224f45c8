/**
 * Redis's replies that refuse a connection for its password: the one classification the shared limiter's setup (exit 2
 * at once rather than after the whole connect time-out), its error listener and its mid-run failure share, so that the
 * three never disagree on what counts as a password refused. A password given to a Redis that has none is not among
 * them: ioredis goes on with a warning, and so does the run (docs/shared-limit.md).
 */

/** `asked`: Redis wants a password the Redis URL does not give; `refused`: the URL gives one Redis does not take. */
export type PasswordRefusal = 'asked' | 'refused';

export function passwordRefusal(reply: string): PasswordRefusal | undefined {
  if (/^NOAUTH\b/.test(reply)) return 'asked';
  // WRONGPASS since Redis 6; `ERR invalid password` before it (without a password, a Redis before 6 says NOAUTH too).
  if (/^WRONGPASS\b/.test(reply) || /^ERR invalid password\b/.test(reply)) return 'refused';
  return undefined;
}
