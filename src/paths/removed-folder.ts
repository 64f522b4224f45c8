import { existsSync } from 'node:fs';
import path from 'node:path';

// The one rule for "a folder this tool writes into was removed while the command ran" (machine-fault.ts, the output's
// folder at the command's end, the lock's heartbeat, the kept answers' store): said of a folder missing now, unless it
// never was there.

/**
 * The folders a makeFolders of this process found missing and could not make (the one refused and those below it):
 * never there, so none of them was removed while the command ran. `-o /proc/x/out.csv` was said so: 'the folder
 * /proc/x does not exist any more: it was removed while the command ran; run the same command again: it makes the
 * folder again', and the same command failed again.
 */
const unmade = new Set<string>();

/** Records `folders` as missing when this process went to make them, and not made (create-folder.ts makeFolders). */
export function markUnmade(folders: readonly string[]): void {
  for (const folder of folders) unmade.add(path.resolve(folder));
}

/** Whether `folder` was missing when this process went to make it, and could not be made. */
export function neverMade(folder: string): boolean {
  return unmade.has(path.resolve(folder));
}

/**
 * Whether `folder`, one the job writes into, was removed while the command ran: every folder this tool writes into
 * is made (or found) before the work starts, so one missing now was there and went, unless it could not be made.
 */
export function removedMeanwhile(folder: string): boolean {
  return !existsSync(folder) && !neverMade(folder);
}
