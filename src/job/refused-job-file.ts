import { constants } from 'node:fs';
import path from 'node:path';
import { causes } from '../errors.js';
import { accessError } from '../paths/access-error.js';
import { statOrUndefined } from '../paths/same-file.js';
import { commandUser } from '../wording/not-readable.js';
import { shellWord } from '../wording/shell-word.js';

/**
 * The file of the unfinished job that this user may not read, behind a refusal while keeping its answers before
 * starting over: root's journal (0600) beside a job this user reruns with other settings. The line blamed the store's
 * folder ("give this user write access to <folder>"), which this user could write; the file refused is the journal.
 * Undefined when the refusal is not a read of such a file (the store itself, its folder).
 */
export interface RefusedJobFile {
  /** "<file> is not readable by the user this command runs as (uid N), as it belongs to uid M" */
  what: string;
  /** "give that user read access to it (chown N <file>), or remove it (…)" */
  remedy: string;
}

export function refusedJobFile(error: unknown, storePath: string, uid: number | undefined = process.getuid?.()): RefusedJobFile | undefined {
  const file = refusedPath(error);
  if (file === undefined) return undefined;
  const resolved = path.resolve(file);
  const store = path.resolve(storePath);
  if (resolved === store || resolved.startsWith(`${store}${path.sep}`)) return undefined;
  const code = accessError(resolved, constants.R_OK)?.code;
  if (code !== 'EACCES' && code !== 'EPERM') return undefined;
  const owner = statOrUndefined(resolved)?.uid;
  const foreign = owner !== undefined && uid !== undefined && owner !== uid;
  const how = foreign ? `chown ${uid} ${shellWord(resolved)}` : owner === uid && uid !== undefined ? `chmod u+r ${shellWord(resolved)}` : `chmod a+r ${shellWord(resolved)}`;
  return {
    what: `${resolved} is not readable by ${commandUser(uid)}${foreign ? `, as it belongs to uid ${owner}` : ''}`,
    remedy: `give that user read access to it (${how}), or remove it (its answers are then requested again)`,
  };
}

/** The path of the first error on the chain refused for permission that names one (a read through a descriptor is given its path: no-follow.ts). */
function refusedPath(error: unknown): string | undefined {
  for (const each of causes(error)) {
    const { code, path: file } = each as NodeJS.ErrnoException;
    if ((code === 'EACCES' || code === 'EPERM') && typeof file === 'string') return file;
  }
  return undefined;
}
