import type { ResultCache, ResultCacheOptions } from './cache.js';

/**
 * Opens the result cache, loading LMDB (and its native binding) only then:
 * most runs and estimates have no --cache and should not pay for it at start.
 */
export async function openResultCache(dir: string, options: ResultCacheOptions): Promise<ResultCache> {
  const { ResultCache } = await import('./cache.js');
  return ResultCache.open(dir, options);
}
