// The Redis URL checked before any connection (src/scoring/redis-connection.ts). Before: REDIS_URL=notaurl was
// "must look like redis://host:6379 …, got '(unparseable URL)'", neither the value nor where it came from (the variable
// may be set in a profile the user forgot); REDIS_URL=localhost:6379 (no scheme, as redis-cli -u users write it) was
// "must start with redis:// or rediss:// (TLS), got 'localhost://…'", a value nobody typed.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { checkRedisUrl, redactRedisUrl } from '../src/scoring/redis-connection.js';

const WHERE = `(--redis, REDIS_URL or the job file's "redis")`;

describe('a Redis URL that cannot be used', () => {
  it('shows the value given, credentials left out, and names where a Redis URL comes from', () => {
    expect(() => checkRedisUrl('notaurl')).toThrow(ConfigError);
    expect(() => checkRedisUrl('notaurl')).toThrow(`the Redis URL ${WHERE} must look like redis://host:6379 or rediss://user:password@host:6380/0, got 'notaurl'`);
    let message = '';
    try {
      checkRedisUrl('redis://:hunter2@[bad');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`the Redis URL ${WHERE} must look like`);
    expect(message).not.toContain('hunter2');
  });

  // A password with a '/' in it (base64 tokens have them) ends the URL's host early, so the URL does not parse, and
  // the credentials were cut only up to a '@' before any '/': the message showed the whole password (fcac07b said
  // '(unparseable URL)').
  it('never shows a password that holds a slash or an @', () => {
    for (const url of ['redis://default:Xk9/s3cret+Q@redis.corp:6379', 'rediss://me:a@b/s3cret@redis.corp:bad', 'default:Xk9/s3cret@redis.corp:6379']) {
      let message = '';
      try {
        checkRedisUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`the Redis URL ${WHERE}`);
      expect(message).not.toContain('s3cret');
    }
  });

  it('reads host:port without a scheme as what it is, and says to write redis:// before it', () => {
    expect(() => checkRedisUrl('localhost:6379')).toThrow(`the Redis URL ${WHERE} has no scheme, got 'localhost:6379': write redis://localhost:6379 (or rediss:// for TLS)`);
    expect(() => checkRedisUrl('10.0.0.5:6380/2')).toThrow(`got '10.0.0.5:6380/2': write redis://10.0.0.5:6380/2`);
  });

  it('still names another scheme as such', () => {
    expect(() => checkRedisUrl('http://127.0.0.1:6379')).toThrow(`the Redis URL ${WHERE} must start with redis:// or rediss:// (TLS), got 'http://…'`);
  });
  // ioredis takes every query parameter as a client option, so redis://host:6379/0?password=… is a password too
  // (node_modules/ioredis/built/utils/index.js parseURL): it was shown whole in 'cannot reach Redis at …' (exit 2)
  // and in the log lines of a Redis lost mid-run.
  it('never shows a password given as a query parameter (password, sentinelPassword)', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379/0?password=s3cret&db=1')).toBe('redis://127.0.0.1:6379/0?password=***&db=1');
    expect(redactRedisUrl('redis://:pw1@h:6379?sentinelPassword=s3cret')).toBe('redis://:***@h:6379?sentinelPassword=***');
    let message = '';
    try {
      checkRedisUrl('notaurl?password=s3cret');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`the Redis URL ${WHERE} must look like`);
    expect(message).not.toContain('s3cret');
    // Only a query parameter was hidden: no password before an '@' to write with %2F and %40.
    expect(message).not.toContain('%2F');
  });
});
