import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SettingWords } from '../config/setting-names.js';
import { MachineFaultError } from '../errors.js';
import { machineFaultOf } from '../machine-fault.js';
import { writtenAgainAdvice } from '../machine-fault-advice.js';
import { refuseBlockedFolder } from './folder-blocker.js';
import { markUnmade } from './removed-folder.js';
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
      // Never there: a write into one of them later is not said to be of a folder removed meanwhile (removed-folder.ts).
      markUnmade(missing.slice(at));
      if (code === 'ENOENT') throw new MachineFaultError(code, `cannot create the folder ${one}: its filesystem refuses new folders there (ENOENT); choose another path`, { cause: error });
      throw error;
    }
  }
}
