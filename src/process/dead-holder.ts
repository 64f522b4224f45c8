import { hostname } from 'node:os';

/**
 * Whether a lock's holder is known to be gone: another process of this host
 * that no longer runs (killed with -9 while it held the lock). A holder on
 * another host cannot be asked, so it is never "known gone"; the locks judge
 * those by age.
 */
export function isDeadLocalHolder(holder: { host: string; pid: number }): boolean {
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
