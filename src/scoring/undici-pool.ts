/**
 * The two parts of undici the Workers AI client uses: the keep-alive Pool and
 * its `request`. undici's index loads every part it has (fetch, WebSocket,
 * EventSource, cache, mocks, proxies) and only then adds `request` to the
 * dispatchers: about 190 ms of CPU at every Workers AI start against about 70
 * ms for these two files (`require` alone, measured side by side on the
 * 2-core machine). `request` is the very function the index adds as
 * `Dispatcher.prototype.request`, called on the pool.
 *
 * The paths are undici's own files (the package has no `exports` map); the
 * lock file pins the version, and every Workers AI test runs through them.
 */
import { createRequire } from 'node:module';
import type { Dispatcher, Pool as UndiciPool } from 'undici';

const require = createRequire(import.meta.url);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
export type Pool = UndiciPool;

const request = require('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** `pool.request(options)`, as undici's index would add it. */
export function poolRequest(pool: Pool, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return request.call(pool, options);
}
