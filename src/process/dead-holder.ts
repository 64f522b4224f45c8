import { readFileSync, readlinkSync } from 'node:fs';
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
  // A holder with this very identity is not this process (which is only asking for the lock), and its pid says nothing:
  // a container restarted with the same host name (--network host, a fixed --hostname, a restarted pod) mostly runs with
  // the same small pid again (1 for node as PID 1; 6-8 under the image's tini), and the kernel hands a freed namespace
  // inode out again (three containers in a row: the same pid:[…]).
  if (holder.pid === process.pid) return false;
  return holder.host === hostname() && (holder.pidNs ?? undefined) === pidNamespace();
}

/** Why canCheckHolder said no, as a log line says it. */
export function whyUncheckable(holder: HolderIdentity): string {
  if (holder.host === hostname()) {
    if (holder.pidNs === undefined && pidNamespace() !== undefined) return 'a lock of an older version, which records no PID namespace';
    if (holder.pid === process.pid && holder.pidNs === pidNamespace()) return 'an earlier process with this very pid: a restarted container';
  }
  return 'another host or container';
}

/**
 * Whether a holder that can be checked (canCheckHolder) is known to be gone:
 * another process of this host and namespace that no longer runs (killed with
 * -9 while it held the lock). One that cannot be checked is never "known gone":
 * the output lock watches its heartbeat, the result cache's open lock waits for
 * it to be released or stale.
 */
export function isGoneHolder(holder: HolderIdentity): boolean {
  return canCheckHolder(holder) && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombieOrThread(pid);
}

/**
 * A process killed with -9 stays a zombie until its parent reaps it (a scheduler that has not called wait() yet,
 * a PID 1 that reaps late), and signal 0 still reaches a zombie: it holds nothing and never runs again. Signal 0
 * reaches a thread id too, which is no process of that number: in a container started after one killed with its lock
 * (the same host name, the freed PID namespace's inode handed out again), the holder's pid 8 was a thread of the new
 * run's own node (pid 7), and the lock was taken for held (exit 75 "another run is writing", test/dead-holder-thread.test.ts).
 */
function isZombieOrThread(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const state = /^State:\s*(\S)/m.exec(status)?.[1];
    const group = /^Tgid:\s*(\d+)/m.exec(status)?.[1];
    return state === 'Z' || state === 'X' || (group !== undefined && Number(group) !== pid);
  } catch {
    // No /proc (not Linux): as before, alive.
    return false;
  }
}
