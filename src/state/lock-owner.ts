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
}

export const OWNER_FILE = 'owner.json';

/** Reads the holder of a lock; undefined when it cannot be read (then only the heartbeat decides). */
export async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const data = JSON.parse(await readFileNoFollow(path.join(lockPath, OWNER_FILE))) as Partial<LockOwner>;
    if (typeof data.host !== 'string' || !Number.isInteger(data.pid) || typeof data.since !== 'string') return undefined;
    // A lock of an older version records no namespace: read as it is (it then cannot be checked on Linux, see canCheckHolder).
    const pidNs = typeof data.pidNs === 'string' ? { pidNs: data.pidNs } : {};
    return { tool: 'sentiment-batch', host: data.host, pid: data.pid as number, ...pidNs, since: data.since };
  } catch {
    return undefined;
  }
}
