import { lstatSync } from 'node:fs';
import path from 'node:path';
import { MachineFaultError } from '../errors.js';
import { userNameOf } from '../process/user-name.js';
import { andList } from '../wording/and-list.js';
import { shellWord } from '../wording/shell-word.js';

/** A file (or, `folder`, a folder) another user left at one of the job's names; `owner` is that user's uid. */
export interface ForeignFile {
  file: string;
  owner: number;
  folder?: boolean;
}

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
  /**
   * `found`: every such file beside one output, all in one folder: one refusal names them all with one `rm`, where
   * naming the first alone made a reader remove one per run (checkpoint, then journal, then failed-rows list: three
   * exits 74), and the fourth started the job over, that user's paid answers gone. `cache`: `found` is the --cache
   * folder, whose remedy is another --cache, not another -o. `refused`: not a sticky folder's files, but files this
   * user may not open as the job needs (job/foreign-job-files.ts): access is what mends them, not their removal.
   */
  constructor(found: readonly ForeignFile[], uid: number, cache = false, refused = false) {
    super(refused ? 'EACCES' : 'EPERM', refused ? refusedFilesMessage(found, uid) : foreignFilesMessage(found, uid, cache));
    this.name = 'ForeignFileError';
  }
}

/** "A and B belong to uid N" (one owner), or each file with its owner's uid. */
function whoseFiles(found: readonly ForeignFile[]): string {
  const owners = [...new Set(found.map((each) => each.owner))];
  if (owners.length === 1) return `${andList(found.map((each) => each.file))} ${found.length === 1 ? 'belongs' : 'belong'} to uid ${owners[0]}`;
  return `${andList(found.map((each) => `${each.file} (uid ${each.owner})`))} belong to other users`;
}

/** "; or, to continue that user's job from where it stopped, run the same command as uid N (name)": one owner's job. */
function asOwnerWords(found: readonly ForeignFile[]): string {
  const owners = [...new Set(found.map((each) => each.owner))];
  if (owners.length !== 1) return '';
  const name = userNameOf(owners[0]!);
  return `; or, to continue that user's job from where it stopped, run the same command as uid ${owners[0]}${name === undefined ? '' : ` (${name})`}`;
}

/**
 * Another user's job files this user may not open (outside a sticky folder: root's run killed, run again as another
 * user): met one per run, each refusal asked for one chown (the journal, then the partial output), a run each.
 */
function refusedFilesMessage(found: readonly ForeignFile[], uid: number): string {
  const files = found.map((each) => shellWord(each.file)).join(' ');
  return (
    `${whoseFiles(found)}, not to this user (uid ${uid}), which may not open them as the job needs (permission denied): ` +
    `give this user access to them (chown ${uid} ${files}, or chmod), then run the same command again (it continues from the checkpoint)${asOwnerWords(found)}`
  );
}

function foreignFilesMessage(found: readonly ForeignFile[], uid: number, cache: boolean): string {
  const one = found.length === 1;
  const whose = whoseFiles(found);
  const remove = `${found.some((each) => each.folder === true) ? 'rm -r' : 'rm'} ${found.map((each) => shellWord(each.file)).join(' ')}`;
  const what = cache ? 'cache folder is' : one ? 'file at a name this job writes is' : 'files at names this job writes are';
  // The job paused there is that user's: run as that user, the same command continues it, its paid answers kept.
  const asOwner = cache ? '' : asOwnerWords(found);
  return (
    `${whose}, not to this user (uid ${uid}), in ${path.dirname(found[0]!.file)}, a folder where other users may create files (the sticky bit, as on /tmp): ` +
    `another user's ${what} never read, as ${one ? 'it' : 'they'} could hold answers${cache ? '' : ' or rows'} of that user's choosing; ` +
    `remove ${one ? 'it' : 'them'} (as that user or root: ${remove}), or ${cache ? 'name a --cache folder' : 'write the output in a folder'} of your own${cache ? '' : ' (-o)'}, then run the same command again${asOwner}`
  );
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

/** Throws ForeignFileError when `file` is another user's in a sticky folder ({@link isForeignOwned}); `folder`: removed with rm -r. */
export function refuseForeignOwner(file: string, owner: number, options: { cache?: boolean; folder?: boolean } = {}): void {
  if (!isForeignOwned(file, owner)) return;
  const folder = options.folder === true || options.cache === true;
  throw new ForeignFileError([{ file, owner, folder }], process.geteuid?.() ?? -1, options.cache === true);
}
