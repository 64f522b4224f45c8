/**
 * The database a Redis URL names (redis://host:6379/2), checked once Redis is ready. ioredis selects it on its own
 * after connecting and drops the reply: a number the server does not have (16 by default, `databases` in its
 * configuration) failed there without a word, and the job went on in database 0, sharing its limit and keeping its
 * keys where the URL did not say.
 */
import type { Redis } from 'ioredis';
import { ConfigError, errorMessage } from '../errors.js';

/** The database number of a URL checkRedisUrl accepted; undefined when it names none. */
function databaseOf(url: string): number | undefined {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? undefined : Number(path);
}

/** Selects the URL's database again and waits for the reply: a ConfigError (exit 2) when Redis refuses it. */
export async function checkDatabase(client: Redis, url: string, where: string): Promise<void> {
  const db = databaseOf(url);
  if (db === undefined) return;
  try {
    await client.select(db);
  } catch (error) {
    throw new ConfigError(
      `the Redis at ${where} has no database ${db} (${errorMessage(error)}): fix the database number of the Redis URL ` +
        '(--redis, REDIS_URL or the job file\'s "redis"), or leave it out for database 0',
      { cause: error },
    );
  }
}
