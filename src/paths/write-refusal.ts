import { accessSync, constants, mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';

/** Why this user cannot write into `folder` (EROFS, EACCES...), or undefined when it can. */
export function writeRefusal(folder: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const refused = error as NodeJS.ErrnoException;
    if (refused.code !== 'EACCES' && refused.code !== 'EPERM') return refused;
    return readOnlyMount(folder) ?? refused;
  }
}

/**
 * access(2) checks a folder's permissions before its mount's read-only flag: a folder of another user's on a
 * read-only bind mount (`docker run -v /srv/in:/data/in:ro`, the container's user not the owner) says EACCES, and
 * the advice for it (chown the folder) cannot help. Creating an entry there checks the mount first: EROFS. The
 * probe's name is one nobody else uses; were it made after all (access says no, mkdir yes: an ACL), it is removed.
 */
function readOnlyMount(folder: string): NodeJS.ErrnoException | undefined {
  // node:crypto taken here, not imported: this module is loaded at every start (machine-fault.ts, for the error
  // path), and --help and --version, which never probe, need not load crypto.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const probe = path.join(folder, `.sentiment-batch-probe-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS') return undefined;
    // Named as access names it: the folder asked about, not the probe.
    return Object.assign(new Error(`EROFS: read-only file system, access '${folder}'`), { code, errno: (error as NodeJS.ErrnoException).errno, syscall: 'access', path: folder });
  }
  // Best effort: a probe that stays (the folder's sticky bit, a race) is an empty folder, not a reason to fail the run.
  try {
    rmdirSync(probe);
  } catch {
    // left as it is
  }
  return undefined;
}
