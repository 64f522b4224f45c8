import { constants } from 'node:fs';
import { access, lstat, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { MachineFaultError } from '../errors.js';
import { isGoneHolder } from '../process/dead-holder.js';
import type { LockOwner } from './lock-owner.js';

/**
 * The output's lock is another user's (a root run killed with kill -9 left it) in a folder this user may write but
 * where only a file's owner may move or remove it (the sticky bit, as on /tmp; or, past its stale time, a lock folder
 * only its owner may empty): this user can neither rename its own lock into place nor take the dead one over. The refusal read "operation not permitted (rename <lock> -> <lock>):
 * give this user access or write elsewhere (-o)", of a folder this user may write, and a rerun of a job already done
 * said "its folder cannot be written". Said for what it is now, and what to do; a run already done may still say so
 * (job/lockless-done.ts: it writes nothing).
 */
export class ForeignLockError extends MachineFaultError {
  constructor(
    message: string,
    readonly holder: LockOwner | undefined,
    options: { cause: unknown },
  ) {
    super('EPERM', message, options);
    this.name = 'ForeignLockError';
  }
}

/**
 * The ForeignLockError for `error`, met taking the lock at `lockPath` whose owner file holds `holder`, or undefined
 * when it is some other refusal (the folder itself not writable: the machine-fault line says that already).
 */
export async function foreignLockOf(error: unknown, lockPath: string, holder: LockOwner | undefined): Promise<ForeignLockError | undefined> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const uid = process.getuid?.();
  if ((code !== 'EPERM' && code !== 'EACCES') || uid === undefined) return undefined;
  const stats = await lstat(lockPath).catch(() => undefined);
  if (!stats?.isDirectory() || stats.uid === uid) return undefined;
  const folder = path.dirname(lockPath);
  const writable = await access(folder, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) return undefined;
  // Which rule keeps this user from moving it: the folder's sticky bit, else the lock folder's own write permission.
  const sticky = ((await lstat(folder).catch(() => undefined))?.mode ?? 0) & 0o1000;
  const why = sticky ? "a folder with the sticky bit lets only a file's owner move it" : 'moving or emptying a folder needs write access to it, which only its owner has';
  const gone = holder !== undefined && isGoneHolder(holder);
  const whose = holder ? `a run that ${gone ? 'is gone' : 'may still be running'} (host ${holder.host}, pid ${holder.pid}, since ${holder.since})` : 'another program';
  return new ForeignLockError(
    `the output's lock ${lockPath}, left by ${whose}, belongs to uid ${stats.uid}, and this user (uid ${uid}) may not replace or remove it in ${folder} ` +
      `(${why}): ${gone ? '' : 'once no run of that user is writing this output, '}remove it as that user or root (rm -r ${lockPath}), then run the same command again`,
    holder,
    { cause: error },
  );
}

/**
 * Removes a lock folder (a stale one, or this run's own as it ends). One another user's run left, which this user
 * may not empty, is moved aside (`aside()`: a `dead-` name) where the folder allows it: out of the way, as a holder
 * found gone is taken over (output-lock.ts). Past its stale time such a lock ended the run 74 naming it, where a
 * younger one was moved aside and the run went on. Where it may not be moved either (a sticky folder), the refusal
 * is thrown as it was (foreignLockOf names it).
 */
export async function removeLockFolder(lockPath: string, aside: () => string): Promise<void> {
  try {
    await rm(lockPath, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    const moved = aside();
    await rename(lockPath, moved).catch(() => Promise.reject(error));
    await rm(moved, { recursive: true, force: true }).catch(() => undefined);
  }
}
