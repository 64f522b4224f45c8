import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SettingWords } from '../config/setting-names.js';
import { MachineFaultError } from '../errors.js';
import { machineFaultOf } from '../machine-fault.js';
import { writtenAgainAdvice } from '../machine-fault-advice.js';
import { refuseBlockedFolder } from './folder-blocker.js';
import { statOrUndefined } from './same-file.js';

/**
 * The folder the path `named` needs (-o's, --report's...), made if missing. A file
 * or a symbolic link to nothing on the way is the command's fault: one line,
 * exit 2 (folder-blocker.ts). What the machine refuses (read-only, permission)
 * is one line naming the folder (machine-fault.ts, exit 74), which never says the
 * next run continues from a checkpoint: there is none in a folder not made yet.
 */
export async function createFolder(folder: string, named: SettingWords): Promise<void> {
  refuseBlockedFolder(folder, named);
  try {
    makeFolders(folder);
  } catch (error) {
    // Nothing of the job can be in a folder still to be made: no checkpoint to continue from.
    throw machineFaultOf(error, writtenAgainAdvice(named.setting)) ?? error;
  }
}

/**
 * The folders a makeFolders of this process found missing and could not make (the one refused and those below it):
 * never there, so none of them was removed while the command ran (job/removed-output-folder.ts). `-o /proc/x/out.csv`
 * was said so: 'the folder /proc/x does not exist any more: it was removed while the command ran; run the same command
 * again: it makes the folder again', and the same command failed again.
 */
const unmade = new Set<string>();

/** Whether `folder` was missing when this process went to make it, and could not be made. */
export function neverMade(folder: string): boolean {
  return unmade.has(path.resolve(folder));
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdir reports ENOENT for a
 * folder it could not create on a read-only filesystem (which reads as a bug),
 * and never returns at all under /proc or /sys, where mkdir says ENOENT though
 * the parent exists (Node 20: it retries the parent forever). One level at a
 * time, the error is the machine's own (EROFS, EACCES) for the folder it names.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(folder); !existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const [at, one] of missing.entries()) {
    try {
      mkdirSync(one);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Made by another process meanwhile: as good as ours.
      if (code === 'EEXIST' && statOrUndefined(one)?.isDirectory() === true) continue;
      for (const never of missing.slice(at)) unmade.add(never);
      if (code === 'ENOENT') throw new MachineFaultError(code, `cannot create the folder ${one}: its filesystem refuses new folders there (ENOENT); choose another path`, { cause: error });
      throw error;
    }
  }
}
