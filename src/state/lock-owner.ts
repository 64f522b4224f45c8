import * as fs from 'node:fs';
import path from 'node:path';
import { readFileNoFollow } from './no-follow.js';

// Who holds an output's lock, as its `owner.json` records it, and how that file is read.

export interface LockOwner {
  tool: 'sentiment-batch';
  host: string;
  pid: number;
  /** The PID namespace `pid` belongs to (`pid:[4026531836]`); absent off Linux, and in the locks of older versions. */
  pidNs?: string;
  /** ISO time the lock was taken. */
  since: string;
  /** `device:inode` of the lock folder its holder made (lockIdentity); absent in the locks of older versions. */
  lockId?: string;
  /** Where that folder was made: its real path (lockPlace); absent in the locks of older versions. */
  lockAt?: string;
}

export const OWNER_FILE = 'owner.json';

/** Reads the holder of a lock; undefined when it cannot be read (then only the heartbeat decides). */
export async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return ownerOf(await readFileNoFollow(path.join(lockPath, OWNER_FILE)));
  } catch {
    return undefined;
  }
}

/** The holder an owner file's text names; undefined when it names none (readOwner, other-run-lock.ts). */
export function ownerOf(text: string): LockOwner | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockOwner>;
    if (typeof data.host !== 'string' || !Number.isInteger(data.pid) || typeof data.since !== 'string') return undefined;
    // A lock of an older version records no namespace: read as it is (it then cannot be checked on Linux, see canCheckHolder).
    const pidNs = typeof data.pidNs === 'string' ? { pidNs: data.pidNs } : {};
    const lockId = typeof data.lockId === 'string' ? { lockId: data.lockId } : {};
    const lockAt = typeof data.lockAt === 'string' ? { lockAt: data.lockAt } : {};
    return { tool: 'sentiment-batch', host: data.host, pid: data.pid as number, ...pidNs, since: data.since, ...lockId, ...lockAt };
  } catch {
    return undefined;
  }
}

/**
 * A folder's `device:inode` (as bigints: an overlay's inode numbers pass 2^53). A rename keeps it; a copy of the
 * folder (`cp -r`, a backup restored) is a new folder with another. Undefined when the folder cannot be read.
 */
export async function lockIdentity(folder: string): Promise<string | undefined> {
  const stats = await fs.promises.lstat(folder, { bigint: true }).catch(() => undefined);
  return stats ? identityOf(stats) : undefined;
}

/** lockIdentity, synchronously (the removal at exit, the heartbeat's stop: other-run-lock.ts). */
export function lockIdentitySync(folder: string): string | undefined {
  try {
    return identityOf(fs.lstatSync(folder, { bigint: true }));
  } catch {
    return undefined;
  }
}

function identityOf(stats: fs.BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** The lock's real path (its folder's symlinks resolved); undefined when that folder cannot be read. */
export async function lockPlace(lockPath: string): Promise<string | undefined> {
  const folder = await fs.promises.realpath(path.dirname(lockPath)).catch(() => undefined);
  return folder === undefined ? undefined : path.join(folder, path.basename(lockPath));
}
