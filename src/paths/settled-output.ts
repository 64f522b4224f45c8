import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The output's path with its folder's symbolic links resolved, once, when the run starts: every file the job keeps
 * beside the output (partial, checkpoint, journal, lock) is then in that one folder for the whole run. An output
 * folder that is a link switched to another target mid-run (`ln -sfn release-2 out`, a deploy's "current" link) sent
 * the checkpoints and the final rename to the new folder while the partial output's open file stayed in the old one:
 * exit 74 "the partial output … was removed or replaced", the rows written there lost, the lock left behind. The file's
 * own name is kept: a link at the output itself is replaced by the output, as before. A folder that cannot be resolved
 * keeps the path as given (its own fault is said where it is written).
 */
export function settledOutputPath(absolute: string): string {
  try {
    const folder = realpathSync(path.dirname(absolute));
    // /proc/self is a link to this process's own folder: nothing to settle, and lines name the path as given.
    if (folder.startsWith('/proc/')) return absolute;
    return path.join(folder, path.basename(absolute));
  } catch {
    return absolute;
  }
}
