import { hostname } from 'node:os';
import path from 'node:path';
import { causes, SentimentBatchError } from '../errors.js';
import { pidNamespace } from '../process/dead-holder.js';
import { lockIdentity, lockIdentitySync, OWNER_FILE, ownerOf, readOwner, type LockOwner } from './lock-owner.js';
import { readTextNoFollow } from './no-follow.js';

/**
 * The holder of the lock at `lockPath` when it is another run's, not this process's. After the output's folder was
 * swapped (moved away and made again) another run may have taken a lock of its own at the same path and be writing:
 * the run that lost its folder must neither call its partial output "removed" and advise starting over
 * (job/removed-partial.ts) nor remove that lock as its own on the way out (output-lock.ts). Undefined when there is no
 * lock there, its owner cannot be read, or it is this process's own.
 */
export async function otherRunsLock(lockPath: string): Promise<LockOwner | undefined> {
  const owner = await readOwner(lockPath);
  return owner !== undefined && !isOwnLock(owner, lockPath, await lockIdentity(lockPath)) ? owner : undefined;
}

/** otherRunsLock's answer, synchronously (the removal at exit, the heartbeat's stop). */
export function otherRunsLockSync(lockPath: string): LockOwner | undefined {
  let text: string | undefined;
  try {
    text = readTextNoFollow(path.join(lockPath, OWNER_FILE));
  } catch {
    return undefined;
  }
  const owner = text === undefined ? undefined : ownerOf(text);
  return owner !== undefined && !isOwnLock(owner, lockPath, lockIdentitySync(lockPath)) ? owner : undefined;
}

/** The identity (lockIdentity) of each lock folder this process made, by the lock's path. */
const madeHere = new Map<string, string>();

/** Remembers the lock this process made at `lockPath`: its folder's identity, as its owner file records it (`lockId`). */
export function rememberOwnLock(lockPath: string, lockId: string): void {
  madeHere.set(path.resolve(lockPath), lockId);
}

/**
 * Whether `owner` is of the lock this process made at `lockPath`. Its host, pid and PID namespace must be this
 * process's; they can also be another run's (a machine or container sharing the volume with a fixed --hostname, node
 * as PID 1 there too, a namespace inode the kernel gave out again: dead-holder.ts canCheckHolder). Then the folder
 * tells: its owner file records the identity of the folder its holder made (`lockId`), not this process's. That is
 * asked only when the folder there still has the identity its file records: a copy of this run's own lock (a folder
 * restored from a backup) records this run's, and a filesystem that numbers a folder anew (vfat, some FUSE mounts:
 * lock-takeover.ts) would make this run's own lock look like another's. The identity alone is not enough either:
 * ext4 gives a removed folder's inode to the next folder made (mkdir, rm -rf, mkdir: the same inode, 3 times of 3),
 * so another run's lock in a folder made again may record this run's old identity; its pid then tells it apart.
 */
function isOwnLock(owner: LockOwner, lockPath: string, identityHere: string | undefined): boolean {
  const pidNs = pidNamespace();
  const namesThisProcess = owner.pid === process.pid && owner.host === hostname() && (owner.pidNs === undefined || pidNs === undefined || owner.pidNs === pidNs);
  if (!namesThisProcess) return false;
  if (owner.lockId === undefined || owner.lockId !== identityHere) return true;
  return owner.lockId === madeHere.get(path.resolve(lockPath));
}

/** What shows the lock lost when another run's is at its path: that run, named as a held lock's refusal names it. */
export function lockThereNow(holder: LockOwner): string {
  return `another run's lock is there now: host ${holder.host}, pid ${holder.pid}`;
}

/** The line of a run that lost its lock (`lock`: as the line names it; `why`: what shows it). */
export function lostLockLine(lock: string, why: string): string {
  return `lost the lock ${lock} (${why}); another run may be writing this output, stopping at once`;
}

/**
 * The errors that end a run because another run's lock is at its lock's path (`holder`), found by a step of the run
 * (removed-partial.ts) rather than by the heartbeat (output-lock.ts). Either way that run is the one writing: its
 * --summary-json is its own to replace when it ends (failure-summary-target.ts), as the heartbeat's stop leaves it
 * (job/take-output-lock.ts).
 */
const lostToOtherRun = new WeakSet<object>();

/** The error (exit 75) of a run that found `holder`'s lock at its lock's path, `lock` as the line names it. */
export function lockLostTo(lock: string, holder: LockOwner): SentimentBatchError {
  const error = new SentimentBatchError('locked', lostLockLine(lock, lockThereNow(holder)));
  lostToOtherRun.add(error);
  return error;
}

/**
 * Whether `error` is lockLostTo's, or carries it as its cause: another run holds the output's lock now. A mend's stop
 * that finds it (job/held-folder.ts) ends as a rerun's mend ends, the output complete (errors.ts OutputKeptError).
 */
export function lostToOtherRunsLock(error: unknown): boolean {
  return [...causes(error)].some((cause) => lostToOtherRun.has(cause));
}
