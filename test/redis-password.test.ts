import { describe, expect, it } from 'vitest';
import { passwordRefusal } from '../src/scoring/redis-password.js';

/**
 * A Redis before 6 refuses a wrong password with `ERR invalid password`, not 6's `WRONGPASS …`: unrecognised, the
 * setup waited the whole connect time-out and then said `cannot reach Redis … (ERR invalid password). Start Redis …`
 * (6.4 s with the CLI, through a stand-in rewriting Redis 7's reply), of a Redis that answered at once.
 */
describe('passwordRefusal: the replies of a Redis refusing the Redis URL\'s password, before and since 6', () => {
  it.each([
    ['NOAUTH Authentication required.', 'asked'],
    ['NOAUTH Authentication required', 'asked'],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'refused'],
    ['WRONGPASS invalid username-password pair', 'refused'],
    // Redis 2.x to 5: a wrong password (without one, it says NOAUTH as 6 does).
    ['ERR invalid password', 'refused'],
  ])('%s: %s', (reply, kind) => {
    expect(passwordRefusal(reply)).toBe(kind);
  });

  // A password given to a Redis that has none: ioredis says so (a warn line) and goes on, and so does the run.
  it.each([
    'ERR Client sent AUTH, but no password is set',
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    'ERR unknown command',
    'connect ECONNREFUSED 127.0.0.1:6379',
    'READONLY You can\'t write against a read only replica.',
  ])('%s: not a password refused', (reply) => {
    expect(passwordRefusal(reply)).toBeUndefined();
  });
});
