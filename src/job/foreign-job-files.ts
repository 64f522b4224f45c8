import { constants, lstatSync } from 'node:fs';
import { accessError } from '../paths/access-error.js';
import { failedRowsPathFor } from '../mend/failed-rows.js';
import { journalPathFor } from '../journal/answer-journal.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { ForeignFileError, isForeignOwned, type ForeignFile } from '../state/foreign-file.js';
import { keptAnswersPathFor } from './kept-answers-path.js';

/**
 * Refuses, before any of them is read, the job files another user left beside `output` in a sticky folder (/tmp), all
 * in one line (state/foreign-file.ts). Each file is refused again where it is opened (what is checked there is what
 * is read); but met one at a time, another user's paused job cost root three exits 74, one `rm` each (checkpoint,
 * journal, failed-rows list), and the fourth run started over, paying again for that user's answers.
 *
 * `restart`: --restart reads none of them and replaces them all, which root may (it removes any file); another user
 * may not remove them, so for that user they are refused all the same. Outside a sticky folder it may, and does.
 */
export function refuseForeignJobFiles(output: string, restart: boolean): void {
  const uid = process.geteuid?.();
  if (uid === undefined || (restart && uid === 0)) return;
  const found: ForeignFile[] = [];
  const refused: ForeignFile[] = [];
  for (const [file, writes] of JOB_FILES(output)) {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    // A symbolic link is never followed, whoever made it (no-follow.ts): it is replaced, not read.
    if (stats === undefined || stats.isSymbolicLink() || stats.uid === uid) continue;
    if (isForeignOwned(file, stats.uid)) found.push({ file, owner: stats.uid, folder: stats.isDirectory() });
    else if (!restart && stats.isFile() && openRefused(file, writes)) refused.push({ file, owner: stats.uid });
  }
  if (found.length > 0) throw new ForeignFileError(found, uid);
  // Outside a sticky folder another user's files this user may not open were met one per run (root's journal: chown it,
  // run again; then its partial output: chown it, run again). Two or more are named at once; one alone is refused where
  // it is opened, which knows whether the run needs it (a run starting over replaces the partial output, never opens it).
  if (refused.length > 1) throw new ForeignFileError(refused, uid, false, true);
}

/**
 * The job's files, each with whether a run continuing the job writes it in place (the partial output, the answer
 * journal) or only reads it and replaces it whole (the checkpoint, the failed-rows list; the kept answers, a folder).
 */
const JOB_FILES = (output: string): Array<[string, boolean]> => [
  [checkpointPathFor(output), false],
  [`${output}.partial`, true],
  [journalPathFor(output), true],
  [failedRowsPathFor(output), false],
  [keptAnswersPathFor(output), false],
];

/** Whether this user may not read `file`, or (`writes`) not write it, for permission. */
function openRefused(file: string, writes: boolean): boolean {
  const mode = writes ? constants.R_OK | constants.W_OK : constants.R_OK;
  const code = accessError(file, mode)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
