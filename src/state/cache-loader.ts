import type { ResultCache, ResultCacheOptions } from './cache.js';

/**
 * Opens the result cache, loading LMDB (and its native binding) only then:
 * most runs and estimates have no --cache and should not pay for it at start.
 *
 * A cache another container has open with this process's id (CacheInUseError,
 * cache-open.ts) is not used: with `onWritesStopped` (a run), it is told why and
 * what to do, and the run goes on without the cache (undefined): the output is
 * the same, the rows are sent instead of read from the cache. Without it (an
 * estimate), the error is thrown: exit 75, try later.
 */
export async function openResultCache(dir: string, options: ResultCacheOptions): Promise<ResultCache | undefined> {
  const { ResultCache, CacheInUseError } = await import('./cache.js');
  try {
    return ResultCache.open(dir, options);
  } catch (error) {
    if (!(error instanceof CacheInUseError) || options.onWritesStopped === undefined) throw error;
    options.onWritesStopped(`${error.message}. This run goes on without the result cache: no result is read from it or written to it (the output is the same; its rows are sent)`);
    return undefined;
  }
}
