import { constants } from 'node:fs';
import path from 'node:path';
import { accessError } from '../paths/access-error.js';
import { statOrUndefined } from '../paths/same-file.js';
import { inContainer } from './in-container.js';
import { onOwnMount } from './mounted-file.js';
import { IMAGE_UID } from './not-writable.js';

/**
 * What keeps this user from reading a file, and what to do about it: the one
 * wording for every file a command reads and the machine refuses (the input, a
 * job file, the checkpoint, the answer journal, the list of failed rows, the
 * result cache's files, a model file). A refusal to read was once said as "the
 * folder … is not writable … write elsewhere (-o)", which sent the operator to
 * the wrong fix. It names the user by uid (a container's user has no name on
 * the host), as wording/not-writable.ts does for folders it may not write.
 */

/** "the user this command runs as (uid N)"; without a uid (Windows) "the user this command runs as". */
export function commandUser(uid: number | undefined = process.getuid?.()): string {
  return uid === undefined ? 'the user this command runs as' : `the user this command runs as (uid ${uid})`;
}

/**
 * "give <user> read access to it (chmod a+r FILE)": the remedy for a file whose own mode refuses reading. In the image,
 * run as its user, a file on a mount of its own (`onHost`) is the container's path of the host's file, which that user
 * cannot change: the fix is on the host, as for a folder it may not write (not-writable.ts). One made in the container
 * (on its root filesystem, a tmpfs) has no host file to change.
 */
export function readAccessRemedy(
  file: string,
  who: string = commandUser(),
  onHost: boolean = process.getuid?.() === IMAGE_UID && inContainer() && onOwnMount(file),
): string {
  if (onHost) return `give ${who} read access to it: on the host, chmod a+r the file mounted at ${file}, or chown ${IMAGE_UID} it`;
  return `give ${who} read access to it (chmod a+r ${file})`;
}

/**
 * Why this user may not open `file`, with what to do ("it is not readable by …: give …"), or undefined when nothing
 * refuses it (it is not there, or the refusal is not a permission): a folder on its way that this user may not
 * enter, else the file's own mode. `writes`: the file is one the command writes too (the job's own files, the result
 * cache's): a file it may read but not write is said so, and one it may do neither gets both accesses asked for at
 * once, so that the next run does not stop again on the other. An input is only read: only read access is asked for.
 */
export function readRefusal(file: string, writes: boolean, uid: number | undefined = process.getuid?.()): string | undefined {
  const resolved = path.resolve(file);
  const unreadable = refused(resolved, constants.R_OK);
  const unwritable = writes && refused(resolved, constants.W_OK) && statOrUndefined(resolved)?.isFile() === true;
  if (!unreadable && !unwritable) return undefined;
  const folder = unreadable ? closedFolderOn(resolved) : undefined;
  if (folder !== undefined) {
    return `the folder ${folder} cannot be entered by ${commandUser(uid)}: give that user access to it (chmod a+x ${folder}, or chown${uid === undefined ? '' : ` ${uid}`} it)`;
  }
  if (!unwritable) {
    // A folder is listed with read access and entered with search access: both, or `ls` still fails.
    if (statOrUndefined(resolved)?.isDirectory() === true) return `the folder is not readable by ${commandUser(uid)}: give that user read access to it (chmod a+rx ${resolved})`;
    return `it is not readable by ${commandUser(uid)}: ${readAccessRemedy(resolved, 'that user')}`;
  }
  const access = unreadable ? 'read and write' : 'write';
  const owned = uid !== undefined && statOrUndefined(resolved)?.uid === uid;
  const how = owned ? `chmod u+${unreadable ? 'rw' : 'w'} ${resolved}` : `chown ${uid ?? 'USER'} ${resolved}, or chmod`;
  return `it is ${unreadable ? 'neither readable nor writable' : 'not writable'} by ${commandUser(uid)}: give that user ${access} access to it (${how})`;
}

/** Whether the access `mode` to `file` is refused for permission (a missing file, a read-only filesystem are not). */
function refused(file: string, mode: number): boolean {
  const code = accessError(file, mode)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** The first folder on the way to `file` (from the root down) that this user may not enter, if any. */
function closedFolderOn(file: string): string | undefined {
  const folders: string[] = [];
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    folders.unshift(folder);
    if (path.dirname(folder) === folder) break;
  }
  return folders.find((folder) => refused(folder, constants.X_OK));
}
