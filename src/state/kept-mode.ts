import { fchmodSync, fchownSync, fstatSync, lstatSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isForeignOwned } from './foreign-file.js';
import { openExistingNoFollow } from './no-follow.js';

/**
 * A file the job replaces by renaming its new copy over it (the output, the report, --summary-json) keeps the
 * permissions it had: the copy is created 0644 (umask applies), so an output or report a user had made 0600 or 0640
 * (reviews are customers' words) came back world-readable after every run that replaced it. Only the permission bits
 * (0777) are carried, never set-id or sticky bits, and only from a regular file (a symbolic link at the path is
 * replaced, not followed). Best effort: a filesystem that refuses chmod (vfat, some network mounts) keeps the
 * copy's own mode, as before, rather than failing a job whose work is done.
 *
 * The owner and group are carried too, where this process may set them: root's run (a container's default user) over
 * a bind-mounted output of the host user's made 0600 left a file of root's 0600, which that user could no longer read
 * at all (before the mode was kept it came back root's 0644). Root sets both; another user only a group it is in (an
 * output 0640 shared with a team's group stays that group's), and otherwise the copy stays its own, as before.
 */
const PERMISSIONS = 0o777;

interface Kept {
  mode: number;
  /** -1 (and gid -1): the copy keeps its own owner. */
  uid: number;
  gid: number;
}

const keptOf = (stats: Stats | undefined): Kept | undefined =>
  stats?.isFile() === true ? { mode: stats.mode & PERMISSIONS, uid: stats.uid, gid: stats.gid } : undefined;

/** The permission bits and owner of the regular file at `target`, or undefined (nothing there, not a file, not to be looked at). */
function keptAt(target: string): Kept | undefined {
  try {
    const stats = lstatSync(target, { throwIfNoEntry: false });
    const kept = keptOf(stats);
    // Another user's file in a sticky folder (/tmp), which anyone may have put there, lends the job's copy neither its
    // owner nor a write bit for others: a root run gave its summary and checkpoint to the user who had planted them
    // (mode 0666), who could then rewrite them (state/foreign-file.ts). Its read bits are kept: a 0600 file stays 0600.
    return kept === undefined || !isForeignOwned(target, kept.uid) ? kept : { mode: kept.mode & ~0o022, uid: -1, gid: -1 };
  } catch {
    return undefined;
  }
}

/**
 * Gives the open `replacement` the permissions (and owner) of the file at `target` it is about to be renamed over.
 * Through its descriptor, with keepModeOnFdSync: a few system calls once per file a job replaces, not worth a second,
 * asynchronous copy of the same steps.
 */
export async function keepModeOnHandle(target: string, replacement: FileHandle): Promise<void> {
  keepModeOnFdSync(target, replacement.fd);
}

/** keepModeOnHandle for a `replacement` given by its path (opened without following a symlink). */
export async function keepModeOf(target: string, replacement: string): Promise<void> {
  if (keptAt(target) === undefined) return;
  const handle = await openExistingNoFollow(replacement, 'read').catch(() => undefined);
  if (handle === undefined) return; // the rename that follows meets whatever is wrong with it
  try {
    await keepModeOnHandle(target, handle);
  } finally {
    await handle.close();
  }
}

/** The permission bits and owner of the regular file at `target`, given to the file open as `fd` (best effort, above). */
export function keepModeOnFdSync(target: string, fd: number): void {
  try {
    const kept = keptAt(target);
    if (kept === undefined) return;
    const now = fstatSync(fd);
    if (kept.uid !== -1 && (now.uid !== kept.uid || now.gid !== kept.gid)) chownQuietlySync(fd, kept, now.gid !== kept.gid);
    if ((now.mode & PERMISSIONS) !== kept.mode) fchmodSync(fd, kept.mode);
  } catch {
    // best effort (above)
  }
}

function chownQuietlySync(fd: number, kept: Kept, groupDiffers: boolean): void {
  try {
    fchownSync(fd, kept.uid, kept.gid);
  } catch {
    try {
      if (groupDiffers) fchownSync(fd, -1, kept.gid);
    } catch {
      // not this user's to give (above)
    }
  }
}
