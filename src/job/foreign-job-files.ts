import { lstatSync } from 'node:fs';
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
 * may not remove them, so for that user they are refused all the same.
 */
export function refuseForeignJobFiles(output: string, restart: boolean): void {
  const uid = process.geteuid?.();
  if (uid === undefined || (restart && uid === 0)) return;
  const found: ForeignFile[] = [];
  for (const file of [checkpointPathFor(output), `${output}.partial`, journalPathFor(output), failedRowsPathFor(output), keptAnswersPathFor(output)]) {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    // A symbolic link is never followed, whoever made it (no-follow.ts): it is replaced, not read.
    if (stats === undefined || stats.isSymbolicLink() || !isForeignOwned(file, stats.uid)) continue;
    found.push({ file, owner: stats.uid, folder: stats.isDirectory() });
  }
  if (found.length > 0) throw new ForeignFileError(found, uid);
}
