import type { SettingWords } from '../config/setting-names.js';

// The options and the figures of a result cache (cache.ts), apart from the store itself.

/** Options of {@link ResultCache.open}. */
export interface ResultCacheOptions {
  /**
   * Entries written more than this many days ago are ignored and deleted, so
   * a model update behind the same id is picked up eventually. Default 365;
   * `Infinity` keeps entries forever.
   */
  maxAgeDays?: number;
  /**
   * Soft bound on the number of entries. When a cache is opened (or pruned)
   * with more, the least recently used are deleted down to 90 % of it.
   * Default 2,000,000: ~200 MB of B-tree, a file of up to ~550 MB
   * (see docs/cost.md for the disk figures).
   */
  maxEntries?: number;
  /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Free bytes the cache's disk must keep: opening with less is a machine
   * fault (exit 74), and writes stop once a run's puts bring it under this
   * (cache-space.ts says why). Default 16 MiB.
   */
  minFreeBytes?: number;
  /**
   * Told once when this run stops writing to the cache (the disk got low, or
   * a write failed); the cache is still read. Without it, a failed write is
   * thrown by the next `flush` or `close`.
   */
  onWritesStopped?: (message: string) => void;
  /**
   * How messages name the folder: `--cache DIR`, or the job file's "cache" when it gave it (config/setting-names.ts
   * settingWords): "choose another --cache" is no help to whoever wrote "cache" in a job file. Default: the flag.
   */
  named?: SettingWords;
  /**
   * Open and read the store once in a child process first (cache-probe.ts): a damaged data file that makes LMDB abort
   * or crash the process at open is then one line and exit 2, not a process killed with no message. Default false
   * (library use and tests); the command line's opens set it.
   */
  probe?: boolean;
  /**
   * Told once when a look-up finds a value that is not an answer a model gives (cache-codec.ts): it is a miss, its
   * text is sent again. Without it, such values are misses without a word.
   */
  onUnusableAnswer?: (message: string) => void;
}

/** What a cache did since it was opened. */
export interface ResultCacheStats {
  hits: number;
  misses: number;
  /** Look-ups that found an entry past the maximum age (also counted as misses). */
  expired: number;
  puts: number;
  /** Hits that rewrote the entry's last-used day. */
  touched: number;
  /** Entries deleted by eviction since open. */
  evicted: number;
  /** Entries in the store (LMDB's count, other processes' writes included). */
  entries: number;
}
