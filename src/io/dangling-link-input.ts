import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { folderBlocker, hostPathHint } from '../paths/folder-blocker.js';

/**
 * Why an input is not found when a symbolic link leads nowhere: the input itself (`export.csv` linking to a file
 * removed since) or a folder on its way (a deploy's `current` link left at a pruned release; a link made on the host
 * that holds a host path, followed inside a container where that path does not exist). `ls` shows such a link, so
 * "check the path" sent the user looking at a path that looks right. Undefined unless the open found nothing (ENOENT)
 * and a link on the way dangles.
 */
export function danglingLinkWhy(input: string, error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return undefined;
  const own = linkTarget(input);
  if (own !== undefined) {
    return `no such file or directory (ENOENT): ${path.resolve(input)} is a symbolic link to ${own}, which leads to no file; put the file where it points, or fix the link${hostPathHint(own)}`;
  }
  const blocker = folderBlocker(path.dirname(path.resolve(input)));
  if (blocker?.target === undefined) return undefined;
  return `no such file or directory (ENOENT): ${blocker.at} ${blocker.is}; create the folder it points to, or fix the link${hostPathHint(blocker.target)}`;
}

function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}
