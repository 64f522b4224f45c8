import { hostname } from 'node:os';
import path from 'node:path';
import { pidNamespace } from '../process/dead-holder.js';
import { OWNER_FILE, ownerOf, readOwner, type LockOwner } from './lock-owner.js';
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
  return owner !== undefined && !isThisProcess(owner) ? owner : undefined;
}

/** otherRunsLock's answer, synchronously (the removal at exit), as a yes or no. */
export function isOtherRunsLockSync(lockPath: string): boolean {
  let text: string | undefined;
  try {
    text = readTextNoFollow(path.join(lockPath, OWNER_FILE));
  } catch {
    return false;
  }
  const owner = text === undefined ? undefined : ownerOf(text);
  return owner !== undefined && !isThisProcess(owner);
}

function isThisProcess(owner: Pick<LockOwner, 'host' | 'pid' | 'pidNs'>): boolean {
  const pidNs = pidNamespace();
  return owner.pid === process.pid && owner.host === hostname() && (owner.pidNs === undefined || pidNs === undefined || owner.pidNs === pidNs);
}
