import { fchmodSync, fstatSync, lstatSync } from 'node:fs';
import { lstat, type FileHandle } from 'node:fs/promises';
import { openExistingNoFollow } from './no-follow.js';

/**
 * A file the job replaces by renaming its new copy over it (the output, the report, --summary-json) keeps the
 * permissions it had: the copy is created 0644 (umask applies), so an output or report a user had made 0600 or 0640
 * (reviews are customers' words) came back world-readable after every run that replaced it. Only the permission bits
 * (0777) are carried, never set-id or sticky bits, and only from a regular file (a symbolic link at the path is
 * replaced, not followed). Best effort: a filesystem that refuses chmod (vfat, some network mounts) keeps the
 * copy's own mode, as before, rather than failing a job whose work is done. The owner is not carried (only root
 * could): a file of another user's replaced by root's run is root's.
 */
const PERMISSIONS = 0o777;

/** The permission bits of the regular file at `target`, or undefined (nothing there, or not a file). */
async function previousMode(target: string): Promise<number | undefined> {
  const stats = await lstat(target).catch(() => undefined);
  return stats?.isFile() === true ? stats.mode & PERMISSIONS : undefined;
}

/** Gives the open `replacement` the permissions of the file at `target` it is about to be renamed over. */
export async function keepModeOnHandle(target: string, replacement: FileHandle): Promise<void> {
  const mode = await previousMode(target);
  if (mode === undefined) return;
  try {
    if (((await replacement.stat()).mode & PERMISSIONS) !== mode) await replacement.chmod(mode);
  } catch {
    // best effort (above)
  }
}

/** keepModeOnHandle for a `replacement` given by its path (opened without following a symlink). */
export async function keepModeOf(target: string, replacement: string): Promise<void> {
  if ((await previousMode(target)) === undefined) return;
  const handle = await openExistingNoFollow(replacement, 'read').catch(() => undefined);
  if (handle === undefined) return; // the rename that follows meets whatever is wrong with it
  try {
    await keepModeOnHandle(target, handle);
  } finally {
    await handle.close();
  }
}

/** keepModeOnHandle for a process about to exit: synchronously, on a file descriptor. */
export function keepModeOnFdSync(target: string, fd: number): void {
  try {
    const stats = lstatSync(target, { throwIfNoEntry: false });
    if (stats?.isFile() !== true) return;
    const mode = stats.mode & PERMISSIONS;
    if ((fstatSync(fd).mode & PERMISSIONS) !== mode) fchmodSync(fd, mode);
  } catch {
    // best effort (above)
  }
}
