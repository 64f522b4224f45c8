import { lstatSync } from 'node:fs';
import { MachineFaultError } from '../errors.js';
import { unremovedLockFolders } from '../state/lock-leftovers.js';
import { shellWord } from './shell-word.js';

/**
 * A refusal of this user's access (a job's files another user's: root's run killed, run again as another user) with
 * the dead lock this run moved aside and could not remove (state/lock-leftovers.ts): the line named only the file
 * refused, and the `out.csv.lock.dead-<pid>-<hex>` folder, that user's too, stayed beside the output unmentioned
 * (operator31). Said after the line, with what removes it. Any other error as it is.
 */
export function withUnremovedLocks(reported: unknown): unknown {
  if (!(reported instanceof MachineFaultError) || (reported.errno !== 'EACCES' && reported.errno !== 'EPERM')) return reported;
  const said = unremovedLockFolders().map(lockWords);
  if (said.length === 0) return reported;
  return new MachineFaultError(reported.errno, `${reported.message}; ${said.join('; ')}`, { cause: reported });
}

function lockWords(folder: string): string {
  const owner = lstatSync(folder, { throwIfNoEntry: false })?.uid;
  const whose = owner === undefined ? "another user's run" : `uid ${owner}'s run`;
  return `the lock of ${whose}, moved aside to ${folder}, stays too: this user may not remove it (${owner === undefined ? '' : `as uid ${owner}: `}rm -r ${shellWord(folder)})`;
}
