import { withoutSecretParameters } from '../wording/without-credentials.js';

/**
 * A Redis URL fit for logs (password hidden, as user:password and as a query parameter ioredis reads as its
 * `password` option); apart from the client so that reading settings does not load ioredis.
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return withoutSecretParameters(parsed.toString());
  } catch {
    return '(unparseable URL)';
  }
}
