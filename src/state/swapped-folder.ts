import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * The output's folder as the run found it (its device and inode), taken with the lock. A mount under it lazily
 * unmounted (`umount -l`), or the folder moved away and made again, leaves its path leading to another folder, empty
 * of the run's files: "the folder was removed" did not hold (the path is there), so the lock's heartbeat said "lost
 * the lock …; another run may be writing this output" (75) of a run that does not exist, and a checkpoint's rename said
 * "rename … failed: no such file or directory (ENOENT); check that path and the machine" (operator33).
 */
const found = new Map<string, { dev: number; ino: number }>();

/** Remembers `folder` as it is now (the output's, once the run holds its lock). */
export function rememberFolder(folder: string): void {
  const stats = statSync(folder, { throwIfNoEntry: false });
  if (stats !== undefined) found.set(path.resolve(folder), { dev: stats.dev, ino: stats.ino });
}

/** Whether `folder` is there but is not the folder remembered at its path (one not remembered: false). */
export function isSwappedFolder(folder: string): boolean {
  const was = found.get(path.resolve(folder));
  if (was === undefined) return false;
  const now = statSync(folder, { throwIfNoEntry: false });
  return now !== undefined && (now.dev !== was.dev || now.ino !== was.ino);
}

/** The line of a run whose output's folder is another one now (exit 74), as removedFolderLine says one gone. */
export function swappedFolderLine(folder: string): string {
  return `the folder ${folder} is another one now: it was unmounted, or removed and made again, while the command ran; mount it again (the same command then continues from the checkpoint kept there), or run the same command as it is: it starts over in the folder there now`;
}
