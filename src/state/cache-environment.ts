import { open, type RootDatabase } from 'lmdb';
import type { SettingWords } from '../config/setting-names.js';
import { takeOpenLock, type OpenLock } from './cache-open-lock.js';
import { openFailure } from './cache-reader-slot.js';

/** Opens the LMDB environment under the open lock (cache-open-lock.ts says why). */
export function openEnvironment(dir: string, named: SettingWords): RootDatabase {
  const lock = takeOpenLock(dir, { named });
  let root: RootDatabase | undefined;
  try {
    // noSubdir false: a directory even when its name has a dot ("reviews.cache").
    // overlappingSync off: with it (lmdb's default on Linux and macOS), processes writing one cache at
    // once lost commits, failed with MDB_BAD_TXN or hung (docs/cost.md, "Sharing"). Off, each commit
    // is synced before it resolves, as plain LMDB does.
    root = open({ path: dir, maxDbs: 4, noSubdir: false, overlappingSync: false });
    // A killed process may leave its reader slot behind: free it, or it would pin old pages.
    root.readerCheck();
  } catch (error) {
    if (root === undefined) lock.release();
    else closeEnvironment(root, dir, lock);
    throw openFailure(dir, error, named);
  }
  lock.release();
  return root;
}

/**
 * Closes an environment this process opened but will not use, under the open
 * lock until the close has ended (lmdb closes once pending writes end, after
 * this returns): a close must not overlap another process's open. `held` is
 * the lock when the caller holds it already.
 */
export function closeEnvironment(root: RootDatabase, dir: string, held?: OpenLock): void {
  let lock = held;
  try {
    lock ??= takeOpenLock(dir);
  } catch {
    lock = undefined; // the folder gone or refused meanwhile: the handle must still be closed
  }
  void Promise.resolve(root.close())
    .catch(() => undefined)
    .finally(() => lock?.release());
}
