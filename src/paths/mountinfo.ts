import { readFileSync } from 'node:fs';

/** One line of /proc/self/mountinfo: where it is mounted, its type, and whether read-only. */
export interface MountEntry {
  point: string;
  type: string;
  readOnly: boolean;
}

/** /proc/self/mountinfo's text, or null where it cannot be read (not Linux, no /proc). */
export function readMountinfo(): string | null {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
}

/** /proc/self/mountinfo's mounts, in its order: each mount point (its octal escapes undone), type and read-only flag. */
export function mountEntries(mountinfo: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of mountinfo.split('\n')) {
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": the 5th field, and the type after " - ".
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    const point = fields[4];
    if (point === undefined || dash < 0) continue;
    const unescaped = point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    entries.push({ point: unescaped, type: fields[dash + 1] ?? '', readOnly: (fields[5] ?? '').split(',').includes('ro') });
  }
  return entries;
}

/** Whether the mount at `mountPoint` holds `file` (an absolute, resolved path): the root, the point itself, or below it. */
export function mountHolds(mountPoint: string, file: string): boolean {
  return mountPoint === '/' || file === mountPoint || file.startsWith(`${mountPoint}/`);
}
