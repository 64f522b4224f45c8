import * as fs from 'node:fs';
import { isGoneHolder } from '../process/dead-holder.js';
import { heartbeatQuiet, type LockWait } from './lock-heartbeat.js';
import { removeAside, transientPath } from './lock-leftovers.js';
import { lockIdentity, lockPlace, readOwner, type LockOwner } from './lock-owner.js';

// Taking over the lock of a holder of this host and PID namespace (one this process can ask about): at once when its
// process is gone, and when its lock is a copy of another output's.

/**
 * On this host and in this PID namespace a holder whose process is gone (kill
 * -9, OOM kill) is taken over at once. The folder is first renamed aside and its owner read again, so a
 * run that took the lock in between is never removed (it is put back).
 */
export async function takeOverDeadHolder(lockPath: string, holder: LockOwner): Promise<boolean> {
  if (!isGoneHolder(holder)) return false;
  return removeIfStill(lockPath, holder);
}

/**
 * A live holder's lock in another folder than the one it made: `cp -r` of a job folder while its job runs copies the
 * lock, naming a process that holds the original's lock, not the copy's. The holder records the `device:inode` and
 * the real path of the folder it made (a rename into place keeps both; a copy is a new folder elsewhere). Taken over
 * only when that is certain: the lock records both (older versions do not: refused as before), both differ here (a
 * filesystem that numbers a folder anew once it leaves the cache, such as vfat or some FUSE mounts, can change the
 * first; a bind mount reaches one folder by two paths), and its heartbeat then stays still for a third of the stale
 * time, two of the holder's refreshes, which a live holder's does not. Holders of another host or container never come
 * here: their lock is judged by its heartbeat alone, as paths and device numbers differ between machines sharing a volume.
 *
 * `copied` once taken over, `released` when the lock went away meanwhile, `aborted` on a signal, undefined when it
 * is the held lock (refused).
 */
export async function takeOverCopiedLock(
  lockPath: string,
  holder: LockOwner,
  staleMs: number,
  options: { onWait?: (wait: LockWait) => void; abort?: AbortSignal },
): Promise<'copied' | 'released' | 'aborted' | undefined> {
  const here = await copiedLockIdentity(lockPath, holder);
  if (here === undefined) return undefined;
  const verdict = await heartbeatQuiet(lockPath, staleMs / 3, {
    onWait: (seconds) => options.onWait?.({ holder, seconds, copied: true }),
    ...(options.abort ? { abort: options.abort } : {}),
  });
  if (verdict === 'live') return undefined;
  if (verdict !== 'quiet') return verdict;
  return (await removeIfStill(lockPath, holder, here)) ? 'copied' : undefined;
}

/**
 * The copy test of a holder's lock (takeOverCopiedLock): its folder's identity here when the lock records both its
 * identity and place and both differ here, else undefined (the held lock, or one of an older version).
 */
export async function copiedLockIdentity(lockPath: string, holder: LockOwner): Promise<string | undefined> {
  const [here, place] = [await lockIdentity(lockPath), await lockPlace(lockPath)];
  if (holder.lockId === undefined || here === undefined || here === holder.lockId) return undefined;
  if (holder.lockAt === undefined || place === undefined || place === holder.lockAt) return undefined;
  return here;
}

/**
 * Removes the lock when it still holds `holder` (and is still the folder `identity`, when given): renamed aside
 * first and its owner read again, so a run that took the lock in between is never removed (it is put back).
 */
async function removeIfStill(lockPath: string, holder: LockOwner, identity?: string): Promise<boolean> {
  const aside = transientPath(lockPath, 'dead');
  try {
    await fs.promises.rename(lockPath, aside);
  } catch {
    return false; // someone else moved it first
  }
  const moved = await readOwner(aside);
  const same = moved && moved.pid === holder.pid && moved.since === holder.since && moved.host === holder.host && moved.pidNs === holder.pidNs;
  if (same && (identity === undefined || (await lockIdentity(aside)) === identity)) {
    // Out of the way once moved: one another user's run left may not be emptied by this user (exit 74 before), and stays a `dead-` leftover.
    await removeAside(aside);
    return true;
  }
  await fs.promises.rename(aside, lockPath).catch(() => {});
  return false;
}
