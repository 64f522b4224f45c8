import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A lock holder as recorded in a lock file: the host name, the pid, and (since
 * locks record it) the PID namespace the pid belongs to.
 *
 * A pid means something only inside its PID namespace. Two processes with the
 * same host name can live in different ones: a container run with
 * `--network host` (or a Kubernetes `hostNetwork` pod) has the host's name but
 * its own pids, so "pid 17035 of host vm" seen from inside it is a process it
 * cannot see, not a process that is gone. The namespace is told apart by the
 * inode of /proc/self/ns/pid (`pid:[4026531836]`), the same for every process
 * that shares it.
 */
export interface HolderIdentity {
  host: string;
  pid: number;
  /** `pid:[inode]` of the holder's PID namespace; absent where there is none to read (not Linux) or in a lock of an older version. */
  pidNs?: string | undefined;
}

let ownNamespace: string | null | undefined;

/** This process's PID namespace (`pid:[4026531836]`), or undefined where /proc does not say (not Linux, /proc not mounted). */
export function pidNamespace(): string | undefined {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace ?? undefined;
}

/**
 * Whether this process can tell if `holder` still runs: it is of this host and
 * of this PID namespace. A holder that recorded no namespace (a lock of an older
 * version) counts as of this namespace only where this process has none to
 * record either (not Linux): on Linux it may be a container's, so it cannot be
 * checked. Those that cannot be checked are judged by their lock's heartbeat.
 */
export function canCheckHolder(holder: HolderIdentity): boolean {
  return holder.host === hostname() && (holder.pidNs ?? undefined) === pidNamespace();
}

/**
 * Whether a holder that can be checked (canCheckHolder) is known to be gone:
 * another process of this host and namespace that no longer runs (killed with
 * -9 while it held the lock). One that cannot be checked is never "known gone".
 */
export function isGoneHolder(holder: HolderIdentity): boolean {
  return canCheckHolder(holder) && holder.pid !== process.pid && !isAlive(holder.pid);
}

/**
 * Whether a lock's holder is known to be gone: another process of this host
 * that no longer runs (killed with -9 while it held the lock). A holder on
 * another host cannot be asked, so it is never "known gone"; the locks judge
 * those by age. A holder that records its PID namespace (`pidNs`) is known gone
 * only when that is this process's namespace too (isGoneHolder); one that
 * records none is judged by host and pid alone, as before namespaces were
 * recorded (the result cache's open lock records none).
 */
export function isDeadLocalHolder(holder: HolderIdentity): boolean {
  if (holder.pidNs !== undefined) return isGoneHolder(holder);
  return holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
