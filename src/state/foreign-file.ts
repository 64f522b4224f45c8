import { lstatSync } from 'node:fs';
import path from 'node:path';
import { MachineFaultError } from '../errors.js';

/**
 * In a folder with the sticky bit (/tmp, a shared drop folder) every user may create files, and only a file's owner
 * may replace or remove one: another user can create `out.csv.journal`, `out.csv.checkpoint.json` and
 * `out.csv.partial` before this job does, with contents of that user's choosing. A run as root (who may replace
 * anything) took every answer of such a journal as paid for (400 rows scored, 0 requests, exit 0) and, resuming from
 * such a checkpoint, renamed that user's partial output (mode 0666) into place as the finished output; another user's
 * run read them too, and then stopped at a rename it may not make (exit 74, "run the same command again", which met the
 * same files). So the job's own files (the checkpoint, the partial output, the answer journal, the failed-rows list,
 * the kept answers) are read only when they are this user's or the folder owner's, Linux's fs.protected_regular rule.
 * Outside sticky folders whoever may create a file there may replace any other, this user's finished output included:
 * the folder is the user's choice, and trusted.
 */
export class ForeignFileError extends MachineFaultError {
  /** `cache`: `file` is the --cache folder, whose remedy is another --cache, not another -o. */
  constructor(file: string, owner: number, uid: number, cache = false) {
    super(
      'EPERM',
      `${file} belongs to uid ${owner}, not to this user (uid ${uid}), in ${path.dirname(file)}, a folder where other users may create files (the sticky bit, as on /tmp): ` +
        `another user's ${cache ? 'cache folder' : 'file at a name this job writes'} is never read, as it could hold answers${cache ? '' : ' or rows'} of that user's choosing; ` +
        `remove it (as that user or root: ${cache ? 'rm -r' : 'rm'} ${file}), or ${cache ? 'name a --cache folder' : 'write the output in a folder'} of your own${cache ? '' : ' (-o)'}, then run the same command again`,
    );
    this.name = 'ForeignFileError';
  }
}

const STICKY = 0o1000;

/**
 * Whether `file`, whose owner is `owner` (from the descriptor it was opened as, so that what is checked is what is
 * read), lies in a sticky folder and belongs to neither this user nor the folder's owner: such a file is never read,
 * nor lends its mode and owner to the job's copy that replaces it.
 */
export function isForeignOwned(file: string, owner: number): boolean {
  const uid = process.geteuid?.();
  if (uid === undefined || owner === uid) return false;
  const folder = lstatSync(path.dirname(file), { throwIfNoEntry: false });
  return folder !== undefined && (folder.mode & STICKY) !== 0 && owner !== folder.uid;
}

/** Throws ForeignFileError when `file` is another user's in a sticky folder ({@link isForeignOwned}). */
export function refuseForeignOwner(file: string, owner: number, options: { cache?: boolean } = {}): void {
  if (!isForeignOwned(file, owner)) return;
  throw new ForeignFileError(file, owner, process.geteuid?.() ?? -1, options.cache === true);
}
