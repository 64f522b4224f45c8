import { lstatSync, realpathSync, statSync, type BigIntStats, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * Where a path really leads. Comparing `path.resolve()` strings misses a
 * symlink to the input (`rlink.csv -> r.csv`), a symlinked folder on the way
 * (`sub/lnk/r.csv`) and a hard link: writing to either name replaces the
 * other's content. `real` is the path with every symlink resolved (for a file
 * that does not exist yet: its nearest existing folder's real path plus the
 * rest); `dev`/`ino` identify an existing file whatever its name.
 */
export interface FileIdentity {
  real: string;
  dev?: bigint;
  ino?: bigint;
}

export function fileIdentity(file: string): FileIdentity {
  const absolute = path.resolve(file);
  // As bigints: overlayfs (a container's file system) sets high bits of its inode numbers, and two
  // numbers over 2^53 that differ in their low bits are the same JavaScript number.
  const stats = statOrUndefined(absolute, { bigint: true });
  return { real: realLocation(absolute), ...(stats ? { dev: stats.dev, ino: stats.ino } : {}) };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  if (a.real === b.real) return true;
  return a.ino !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Whether something (a file, a folder) exists at the path, following symlinks. */
export function existingKind(file: string): 'folder' | 'other' | undefined {
  const stats = statOrUndefined(path.resolve(file));
  if (!stats) return undefined;
  return stats.isDirectory() ? 'folder' : 'other';
}

/**
 * What `file` leads to (symbolic links followed); undefined when nothing (a missing path, a link to nothing or one
 * that loops) or when it cannot be looked at. `{ bigint: true }`: its numbers as bigints (fileIdentity).
 */
export function statOrUndefined(file: string): Stats | undefined;
export function statOrUndefined(file: string, options: { bigint: true }): BigIntStats | undefined;
export function statOrUndefined(file: string, options?: { bigint: true }): Stats | BigIntStats | undefined {
  try {
    return options ? statSync(file, options) : statSync(file);
  } catch {
    return undefined;
  }
}

/** What is at the path itself (a symbolic link as the link), or undefined when nothing is or it cannot be looked at. */
export function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/** realpath of the longest existing prefix, then the part that does not exist yet (the walk ends at the root). */
function realLocation(absolute: string): string {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing);
    } catch {
      // Not there yet (or a dangling link, which a write replaces): look one folder up.
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}
