import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { mountEntries, mountHolds, readMountinfo } from './mountinfo.js';

/**
 * The mount point of the regular file at `absolute` when the file is itself one, else undefined: a file bind-mounted on its own (`docker run -v
 * ./out.csv:/data/out.csv`, a Kubernetes subPath). Every output file is written beside its path and renamed over it,
 * and rename(2) refuses to replace a mount point (EBUSY): the run did all its work, paid every row, then failed at
 * the last step, and every rerun again. A symbolic link there is not: the rename replaces the link. `mountinfo`:
 * /proc/self/mountinfo's text (a parameter for the tests); unreadable, no file is taken as mounted. The point is the
 * file's real path, its folder's links resolved: the refusal's example names it (a path through a link to the folder
 * named the link, not the folder the file is mounted in).
 */
export function mountedFileAt(absolute: string, mountinfo: string | null = readMountinfo()): string | undefined {
  if (mountinfo === null) return undefined;
  try {
    if (!lstatSync(absolute).isFile()) return undefined;
    // mountinfo names the folder by its real path; the file's own name is what the rename replaces.
    const point = path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
    // The last mount at the file or a folder above it is the one seen at that path: a file mount that a folder was
    // mounted over afterwards is hidden, and the rename there replaces the folder mount's file (review69).
    const covering = mountEntries(mountinfo).filter((entry) => mountHolds(entry.point, point));
    return covering.at(-1)?.point === point ? point : undefined;
  } catch {
    return undefined;
  }
}
