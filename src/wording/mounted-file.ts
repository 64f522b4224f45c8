import { realpathSync } from 'node:fs';
import path from 'node:path';
import { mountEntries, mountHolds, readMountinfo, type MountEntry } from '../paths/mountinfo.js';

/**
 * Whether `file` lies on a mount of its own (docker's -v or --mount, a volume, a Kubernetes Secret: a tmpfs mounted
 * read-only), not on the container's root filesystem nor a tmpfs made in it: only then is "on the host, chmod the file
 * mounted at …" the remedy for a file this user may not read. A container's user (uid 1000, as the image's) that may not read a file made inside the container, by root
 * with mode 0600 (a devcontainer's or a CI job's /tmp), was told to change "the file mounted at" a path no mount holds.
 * `mountinfo`: /proc/self/mountinfo's text (a parameter for the tests); null (unreadable), the file is taken as mounted (the
 * advice as it was). Enough to word advice, never to decide anything.
 */
export function onOwnMount(file: string, mountinfo: string | null = readMountinfo()): boolean {
  if (mountinfo === null) return true;
  const target = realOrResolved(file);
  let best: MountEntry | undefined;
  for (const entry of mountEntries(mountinfo)) {
    if (!mountHolds(entry.point, target)) continue;
    // The last of equal mount points is the one on top.
    if (best === undefined || entry.point.length >= best.point.length) best = entry;
  }
  // A tmpfs mounted read-only was filled from outside: a Kubernetes Secret or ConfigMap volume, a swarm secret.
  return best !== undefined && best.point !== '/' && (best.type !== 'tmpfs' || best.readOnly);
}

function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
