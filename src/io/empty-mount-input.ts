import { readdirSync } from 'node:fs';
import path from 'node:path';
import { mountEntries, mountHolds, readMountinfo, type MountEntry } from '../paths/mountinfo.js';
import { inContainer } from '../wording/in-container.js';

/** Entries looked at before a mount is taken to hold files: a data volume in use is judged in its first few. */
const MOST_LOOKED_AT = 2000;

/**
 * Why an input is not found in a container whose mount for it holds no file at all: started without its data volume
 * (the image's VOLUME /data: docker makes an empty one, holding the image's empty in/, out/ and cache/), or with -v
 * naming a host folder that does not exist (docker makes it, empty). "check the path" sent the operator to a path the
 * job file has right; the mount is what is wrong. Undefined unless the open found nothing (ENOENT), in a container,
 * on a mount of its own (not the root filesystem) that holds no file in any folder. Enough to word advice, never to
 * decide anything. `options`: whether in a container and /proc/self/mountinfo's text (parameters for the tests).
 */
export function emptyMountWhy(
  input: string,
  error: unknown,
  options: { container?: boolean; mountinfo?: string | null } = {},
): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return undefined;
  if (!(options.container ?? inContainer())) return undefined;
  const point = emptyMountHolding(input, options.mountinfo);
  if (point === undefined) return undefined;
  return (
    `no such file or directory (ENOENT): the volume mounted at ${point} holds no file at all, so the right folder is likely not mounted there: ` +
    `check the docker run's -v (or --mount) for ${point}: with none, docker makes an empty volume there, and a host folder ` +
    'that does not exist it makes, empty (give the full path of the folder that holds the export)'
  );
}

/**
 * The mount point of the mount of its own (not the root filesystem) that holds `file`, when no folder in it holds a
 * file; else undefined. `mountinfo`: /proc/self/mountinfo's text (a parameter for the tests); null (unreadable): undefined.
 */
export function emptyMountHolding(file: string, mountinfo: string | null = readMountinfo()): string | undefined {
  if (mountinfo === null) return undefined;
  const target = path.resolve(file);
  let best: MountEntry | undefined;
  for (const entry of mountEntries(mountinfo)) {
    // The last of equal mount points is the one on top.
    if (mountHolds(entry.point, target) && (best === undefined || entry.point.length >= best.point.length)) best = entry;
  }
  if (best === undefined || best.point === '/' || holdsAFile(best.point)) return undefined;
  return best.point;
}

/** Whether anything but folders is under `folder` (an unreadable one, or more entries than are looked at, counts as holding one). */
function holdsAFile(folder: string): boolean {
  const folders = [folder];
  let looked = 0;
  for (let next = folders.pop(); next !== undefined; next = folders.pop()) {
    let entries;
    try {
      entries = readdirSync(next, { withFileTypes: true });
    } catch {
      return true;
    }
    for (const entry of entries) {
      if (++looked > MOST_LOOKED_AT || !entry.isDirectory()) return true;
      folders.push(path.join(next, entry.name));
    }
  }
  return false;
}
