import { lstatSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SettingWords } from '../config/setting-names.js';
import { ConfigError } from '../errors.js';
import { kindOf as fileKind } from '../wording/file-kind.js';

/**
 * A path the user gave that cannot hold a folder where one is needed (-o's
 * folder, --report's, --summary-json's, the --cache folder): something on the
 * way is a file, a symbolic link to nothing or one that loops. That is the command's path at
 * fault, not the machine, so it is a usage error (exit 2) found before any work,
 * whichever flag named it; a folder the machine refuses (read-only, no
 * permission, no space) stays exit 74.
 */
export interface FolderBlocker {
  /** The existing path that is no folder. */
  at: string;
  /** What it is instead: "is a file, not a folder". */
  is: string;
  /** What it is, for a path that exists and is no folder: "a file", or its kind when not a regular file ("a named pipe"). */
  what?: string;
  /** For a symbolic link to nothing: where it points. */
  target?: string;
  /** A symbolic link that leads back to itself: there is no folder to create, the link is what to fix. */
  loops?: boolean;
}

/** The nearest existing path on the way to `folder` (itself included) when it is no folder; undefined when none is in the way. */
export function folderBlocker(folder: string): FolderBlocker | undefined {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    const kind = kindOf(current);
    if (kind === 'folder' || kind === 'unknown') return undefined;
    if (kind === 'file') {
      const what = nodeWords(current);
      return { at: current, is: `is ${what}, not a folder`, what };
    }
    if (kind === 'dangling') {
      const target = readlinkSync(current);
      return { at: current, is: `is a symbolic link to ${target}, which leads to no folder`, target };
    }
    if (kind === 'loop') return { at: current, is: `is a symbolic link to ${readlinkSync(current)} that loops (ELOOP: following it never reaches a folder)`, loops: true };
    if (path.dirname(current) === current) return undefined;
  }
}

/** Throws the one line for the path `named` when a folder it needs is blocked: `-o afile/o.csv: /d/afile is a file, not a folder; choose another -o`. */
export function refuseBlockedFolder(folder: string, named: SettingWords): void {
  const blocker = folderBlocker(folder);
  if (!blocker) return;
  const remedy = blocker.loops
    ? `remove or fix the link, or choose another ${named.setting}`
    : blocker.target === undefined
      ? `choose another ${named.setting}`
      : `create the folder it points to, or choose another ${named.setting}${hostPathHint(blocker.target)}`;
  throw new ConfigError(`${named.head}: ${blocker.at} ${blocker.is}; ${remedy}`);
}

/**
 * Said after "create the folder it points to" for an absolute target: what a link made on the host holds, which inside a
 * container's mount names nothing (the folder exists on the host, so that advice alone sent the user looking there).
 */
export function hostPathHint(target: string): string {
  return path.isAbsolute(target) ? ' (in a container, a link holding an absolute path of the host leads nowhere: make it relative)' : '';
}

/** "a file" for a regular file (the usual blocker, said plainly), else its kind: /dev/null is no file one could move aside. */
function nodeWords(file: string): string {
  try {
    const stats = statSync(file);
    return stats.isFile() ? 'a file' : fileKind(stats);
  } catch {
    return 'a file';
  }
}

function kindOf(file: string): 'folder' | 'file' | 'dangling' | 'loop' | 'missing' | 'unknown' {
  try {
    return statSync(file).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file further up, which the walk reaches next.
    if (code === 'ENOTDIR') return 'missing';
    if (code !== 'ENOENT' && code !== 'ELOOP') return 'unknown'; // no permission to look: mkdir will say what the machine refuses
    try {
      if (!lstatSync(file).isSymbolicLink()) return 'missing';
      return code === 'ELOOP' ? 'loop' : 'dangling';
    } catch {
      return 'missing';
    }
  }
}
