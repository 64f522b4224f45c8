import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ResultCache, ResultCacheOptions } from './cache.js';
import type { CacheInUseError } from './cache-reader-slot.js';
import { refuseForeignOwner } from './foreign-file.js';

/**
 * Opens the result cache, loading LMDB (and its native binding) only then:
 * most runs and estimates have no --cache and should not pay for it at start.
 *
 * A cache another container has open under this process's id (CacheInUseError,
 * cache-reader-slot.ts) cannot be read by this process until that one closes
 * it. With `onInUse`, the caller is told (once, to say why and what to do) and
 * goes on without the cache (undefined): a run's output is the same, its rows
 * sent instead of read from the cache. Without it, the error is thrown (exit 75).
 */
export async function openResultCache(
  dir: string,
  options: ResultCacheOptions,
  onInUse?: (error: CacheInUseError) => void,
): Promise<ResultCache | undefined> {
  const [{ ResultCache }, { CacheInUseError }] = await Promise.all([import('./cache.js'), import('./cache-reader-slot.js')]);
  try {
    // A folder another user made at that name in /tmp, and filled with answers of that user's choosing, is never
    // read (foreign-file.ts): checked before it is opened, and again once it is (made by this process if it was
    // missing, unless that user made it in between).
    const refuseForeign = () => refuseForeignOwner(path.resolve(dir), statSync(dir).uid, { cache: true });
    if (existsSync(dir)) refuseForeign();
    // The command line's opens check the store in a child process first (cache-probe.ts): a crash there is exit 2.
    const cache = ResultCache.open(dir, { probe: true, ...options });
    try {
      refuseForeign();
    } catch (error) {
      await cache.close();
      throw error;
    }
    return cache;
  } catch (error) {
    if (!(error instanceof CacheInUseError) || onInUse === undefined) throw error;
    onInUse(error);
    return undefined;
  }
}
