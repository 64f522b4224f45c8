import { MachineFaultError } from '../errors.js';
import { OutputFile } from '../io/output-file.js';
import { removedOutputFolder } from './removed-output-folder.js';
import { typedPath } from '../wording/typed-path.js';

/**
 * The partial output removed while the run works ('rm out.csv.partial', a cleanup of the folder): the rows written go
 * nowhere, and the run used to send every row left before it failed at the rename ('rename … failed: ENOENT'). Checked
 * at each checkpoint and before the output is marked complete. `journalPath`: where the answers received are kept
 * (a run with an answer journal, while its file is still where the next run looks), so the message can say they are
 * not sent again. `typedOutput`: the output as the user gave it, after which the message names both files
 * (wording/typed-path.ts), as the summary names the output.
 */
export async function refuseRemovedPartial(file: unknown, partialPath: string, journalPath: () => string | undefined, typedOutput?: string): Promise<void> {
  // Standard output (`-o -`) has no file to lose.
  if (!(file instanceof OutputFile) || !(await file.removed())) return;
  // Its folder removed with it (a cleanup of the folder): the folder's line, as a write into it says; the journal named
  // below went with it.
  const folderGone = removedOutputFolder(partialPath, new MachineFaultError('ENOENT', 'the partial output was removed'));
  if (folderGone) throw folderGone;
  // Asked only now, after the partial output was found removed: asked before, it saw the journal where it was, and a
  // folder swapped in between (moved away and made again) took the journal with it while the line said it kept them.
  const kept = journalPath();
  const keptWords = kept ? `; the answers this run received are kept in ${typedPath(kept, typedOutput)}, so they are not sent again` : '';
  throw new MachineFaultError(
    'ENOENT',
    `the partial output ${typedPath(partialPath, typedOutput)} was removed or replaced while the run worked (by hand, or a cleanup of its folder?), so the rows written there are gone: run the same command again: it starts over${keptWords}`,
  );
}
