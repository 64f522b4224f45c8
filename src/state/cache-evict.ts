import type { Database } from 'lmdb';

import { KEY_BYTES, decodeEntry } from './cache-codec.js';

/**
 * Eviction of the result cache: entries written longer ago than the maximum
 * age, then the least recently used while the cache holds more than its maximum.
 * Deletions run in write transactions of bounded size, so a concurrent
 * reader (this or another process) sees either an entry or its absence,
 * and a killed pruner leaves a consistent store.
 */

export type ResultsDb = Database<Buffer, Buffer>;

// Deletions per write transaction: small enough not to hold the write lock for long.
const DELETE_BATCH = 10_000;
// Age eviction at open looks at this many entries and resumes there next time:
// bounded time per open, the whole store covered over successive opens.
export const OPEN_SCAN_LIMIT = 100_000;
const EVICT_TO_FRACTION = 0.9;
// Where the last open's age scan stopped, in the store's meta database.
const SCAN_CURSOR_KEY = 'expiry-scan-after';

/** What eviction keeps to: the day it is, the maximum age (undefined: none) and the soft bound on entries. */
export interface EvictionLimits {
  today: number;
  maxAgeDays: number | undefined;
  maxEntries: number;
}

/**
 * At open: expired entries among the next OPEN_SCAN_LIMIT (resuming where the
 * last open stopped, recorded in `meta`), then, over `maxEntries`, the least
 * recently used. Returns how many entries went.
 */
export function evictAtOpen(results: ResultsDb, meta: ResultsDb, limits: EvictionLimits): number {
  const cursorKey = Buffer.from(SCAN_CURSOR_KEY);
  const stored = meta.getBinary(cursorKey);
  const scan = removeExpired(results, {
    today: limits.today,
    maxAgeDays: limits.maxAgeDays,
    after: stored === undefined || stored.length === 0 ? undefined : Buffer.from(stored),
    limit: OPEN_SCAN_LIMIT,
  });
  const resumeAfter = scan.resumeAfter ?? Buffer.alloc(0);
  // Unchanged (a store the scan covers at once): no write transaction, each of which syncs the disk.
  if (stored === undefined || !resumeAfter.equals(stored)) meta.putSync(cursorKey, resumeAfter);
  return scan.removed + removeOverBound(results, limits.maxEntries);
}

/** `prune`: every expired entry (the whole store, OPEN_SCAN_LIMIT at a time), then the least recently used over the bound. */
export function evictAll(results: ResultsDb, limits: EvictionLimits): number {
  let count = 0;
  let after: Buffer | undefined;
  do {
    const scan = removeExpired(results, { today: limits.today, maxAgeDays: limits.maxAgeDays, after, limit: OPEN_SCAN_LIMIT });
    count += scan.removed;
    after = scan.resumeAfter;
  } while (after !== undefined);
  return count + removeOverBound(results, limits.maxEntries);
}

/** Over `maxEntries`, down to 90 % of it: the margin keeps the next runs from evicting again at once. */
function removeOverBound(results: ResultsDb, maxEntries: number): number {
  return removeOldest(results, maxEntries, Math.floor(maxEntries * EVICT_TO_FRACTION));
}

/** True when an entry written on `day` is older than `maxAgeDays` on `today`. */
export function isExpired(day: number, today: number, maxAgeDays: number | undefined): boolean {
  return maxAgeDays !== undefined && today - day > maxAgeDays;
}

export interface ScanResult {
  /** Entries deleted. */
  removed: number;
  /** Key to resume the next partial scan from, or undefined after the last entry. */
  resumeAfter: Buffer | undefined;
}

/**
 * Deletes expired (or unreadable) entries among at most `limit` entries in key
 * order, starting after `after`. Key order is hash order: a partial scan
 * samples the whole age range, and successive scans cover the whole store.
 */
export function removeExpired(
  db: ResultsDb,
  options: { today: number; maxAgeDays: number | undefined; after?: Buffer; limit: number },
): ScanResult {
  const doomed: Buffer[] = [];
  let seen = 0;
  let last: Buffer | undefined;
  const range = options.after === undefined ? {} : { start: options.after, exclusiveStart: true };
  for (const { key, value } of db.getRange({ ...range, limit: options.limit })) {
    seen += 1;
    last = key;
    const entry = decodeEntry(value);
    if (key.length !== KEY_BYTES || entry === undefined || isExpired(entry.writtenDay, options.today, options.maxAgeDays)) {
      doomed.push(Buffer.from(key));
    }
  }
  const stillExpired = (value: Buffer): boolean => {
    const entry = decodeEntry(value);
    return entry === undefined || isExpired(entry.writtenDay, options.today, options.maxAgeDays);
  };
  return { removed: removeKeys(db, doomed, stillExpired), resumeAfter: seen < options.limit ? undefined : last };
}

/**
 * When the store holds more than `maxEntries`, deletes the least recently
 * used entries (by their last-used day) down to `targetEntries` (below the
 * maximum, so the next runs do not evict again at once). One full scan to
 * find the cut-off day, one to delete.
 */
function removeOldest(db: ResultsDb, maxEntries: number, targetEntries: number): number {
  const count = db.getStats() as { entryCount?: number };
  const entries = count.entryCount ?? 0;
  if (entries <= maxEntries) return 0;
  let toRemove = entries - targetEntries;

  const perDay = new Map<number, number>();
  for (const { value } of db.getRange({})) {
    const day = decodeEntry(value)?.usedDay ?? -1; // unreadable entries go first
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  // The cut-off day: everything older goes, plus `fromCutoffDay` entries of that day.
  let cutoffDay = -Infinity;
  let fromCutoffDay = 0;
  for (const day of [...perDay.keys()].sort((a, b) => a - b)) {
    const n = perDay.get(day) ?? 0;
    if (n >= toRemove) {
      cutoffDay = day;
      fromCutoffDay = toRemove;
      break;
    }
    toRemove -= n;
  }

  const doomed: Buffer[] = [];
  for (const { key, value } of db.getRange({})) {
    const day = decodeEntry(value)?.usedDay ?? -1;
    if (day < cutoffDay) doomed.push(Buffer.from(key));
    else if (day === cutoffDay && fromCutoffDay > 0) {
      doomed.push(Buffer.from(key));
      fromCutoffDay -= 1;
    }
  }
  return removeKeys(db, doomed, (value) => (decodeEntry(value)?.usedDay ?? -1) <= cutoffDay);
}

/**
 * Deletes `keys` in transactions of bounded size, each entry only if
 * `stillDoomed` holds for its value inside the transaction: another process
 * may have rewritten it (a fresh answer, a hit) since the scan.
 */
function removeKeys(db: ResultsDb, keys: Buffer[], stillDoomed: (value: Buffer) => boolean): number {
  let removed = 0;
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    db.transactionSync(() => {
      for (const key of batch) {
        const value = db.getBinaryFast(key);
        if (value !== undefined && stillDoomed(value) && db.removeSync(key)) removed += 1;
      }
    });
  }
  return removed;
}
