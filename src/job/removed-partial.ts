import { MachineFaultError } from '../errors.js';
import { OutputFile } from '../io/output-file.js';
import { removedOutputFolder } from './removed-output-folder.js';
import { typedPath } from '../wording/typed-path.js';
import { refuseOtherFolder, refuseSwappedFolder } from './held-folder.js';

/**
 * The partial output removed while the run works ('rm out.csv.partial', a cleanup of the folder): the rows written go
 * nowhere, and the run used to send every row left before it failed at the rename ('rename … failed: ENOENT'). Checked
 * at each checkpoint and before the output is marked complete. `journalPath`: where the answers received are kept
 * (a run with an answer journal, while its file is still where the next run looks), so the message can say they are
 * not sent again. `typedOutput`: the output as the user gave it, after which the message names both files
 * (wording/typed-path.ts), as the summary names the output. `output`: the output's path, whose lock is looked at.
 */
export async function refuseRemovedPartial(file: unknown, partialPath: string, journalPath: () => string | undefined, typedOutput?: string, output?: string): Promise<void> {
  // Standard output (`-o -`) has no file to lose.
  if (!(file instanceof OutputFile) || !(await file.removed())) return;
  // Its folder removed with it (a cleanup of the folder): the folder's line, as a write into it says; the journal named
  // below went with it.
  const folderGone = removedOutputFolder(partialPath, new MachineFaultError('ENOENT', 'the partial output was removed'));
  if (folderGone) throw folderGone;
  // The folder swapped and another run's lock in the one there now: that run may be writing this output, and the same
  // command would meet its lock, so the line is the lost lock's (75, as the heartbeat says it), not "starts over" (74).
  // Which of the two this run noticed first was a race (lowfix78's test, CI at 44670f65). With no lock in the folder
  // there now (a mount lazily unmounted, a folder moved away and made again): the swapped folder's line (74), as the
  // heartbeat and a write into it say it; its "starts over" lost the work a mount put back would continue (lowfix82).
  // The one rule of a mend's saves too (held-folder.ts).
  if (output !== undefined) await refuseSwappedFolder(output, typedOutput);
  else refuseOtherFolder(partialPath);
  // Asked only now, after the partial output was found removed: asked before, it saw the journal where it was, and a
  // folder swapped in between (moved away and made again) took the journal with it while the line said it kept them.
  const kept = journalPath();
  const keptWords = kept ? `; the answers this run received are kept in ${typedPath(kept, typedOutput)}, so they are not sent again` : '';
  throw new MachineFaultError(
    'ENOENT',
    `the partial output ${typedPath(partialPath, typedOutput)} was removed or replaced while the run worked (by hand, or a cleanup of its folder?), so the rows written there are gone: run the same command again: it starts over${keptWords}`,
  );
}

/**
 * `write`, a write by path into the output's folder made after `look` (refuseRemovedPartial) passed; failed, the look is
 * taken again before its fault is said: the folder swapped during the write (a rename finding its temporary file gone
 * with the old folder) is said as the look says it, the lost lock's line (75) with another run's lock there, not the
 * rename's fault (74: "starts over" in a folder that run holds).
 */
export async function lookAgainOnFailure<T>(write: () => T | Promise<T>, look: () => Promise<void>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await look();
    throw error;
  }
}
