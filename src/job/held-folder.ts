import path from 'node:path';
import { MachineFaultError } from '../errors.js';
import { lockLostTo, otherRunsLock } from '../state/other-run-lock.js';
import { lockPathFor } from '../state/output-lock.js';
import { isSwappedFolder, swappedFolderLine } from '../state/swapped-folder.js';
import { typedPath } from '../wording/typed-path.js';

/**
 * Before a file of the job is written by path beside `output` when the run holds no file there whose place it can look
 * at (removed-partial.ts looks at the partial output's): a mend's checkpoint, whose copy a stop removes and whose output
 * it reads by path. The folder swapped under the run (moved away and made again, a mount lazily unmounted) before its
 * lock's heartbeat noticed, the write went into the folder there now: over another run's checkpoint when that run's
 * lock is there (the lost lock's line, 75, as the heartbeat says it), or a completed job's checkpoint into an empty
 * folder, of an output that is not there (the swapped folder's line, 74). `typedOutput`: the output as the user gave it.
 * The partial output's check asks the same, once it finds that file gone from its path (removed-partial.ts).
 */
export async function refuseSwappedFolder(output: string, typedOutput?: string): Promise<void> {
  const lockPath = lockPathFor(output);
  const holder = await otherRunsLock(lockPath);
  if (holder) throw lockLostTo(typedPath(lockPath, typedOutput), holder);
  refuseOtherFolder(output);
}

/** The swapped folder's line (74) when the folder of `file` (a file of the job) is another one now, with no lock of another run in it. */
export function refuseOtherFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (isSwappedFolder(folder)) throw new MachineFaultError('ENOENT', swappedFolderLine(folder));
}
