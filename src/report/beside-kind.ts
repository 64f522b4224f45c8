import type { Stats } from 'node:fs';
import path from 'node:path';
import { ConfigError, MachineFaultError } from '../errors.js';
import { lstatOrUndefined, statOrUndefined } from '../paths/same-file.js';
import { NOT_A_FILE } from '../state/no-follow.js';
import { kindOf } from '../wording/file-kind.js';

/**
 * The summary JSON and the checkpoint a report reads beside the scored file are files. A folder at one of those paths
 * was taken for no file at all, without a word: the page went out without the run's figures, or (a folder at the
 * checkpoint's) the report refused the file for a text column 'text' the run never used; a named pipe there was opened
 * and waited on for a writer, for ever (a signal could not end it). Said as an unreadable one is (exit 74): one line
 * naming the path and what to do. `follow`: the summary is read through a symbolic link (a report only reads it); the
 * checkpoint never is, as the job never follows one at its path (a link there is left aside, as before).
 */
export function refuseWrongKindBeside(file: string, what: 'summary JSON' | 'checkpoint', scoredFile: string, follow: boolean): void {
  const wrong = wrongKindBeside(file, what, scoredFile, follow);
  if (wrong) throw wrong;
}

/** The refusal refuseWrongKindBeside throws, or undefined: for a caller that only skips such a path (never reads it). */
export function wrongKindBeside(file: string, what: 'summary JSON' | 'checkpoint', scoredFile: string, follow: boolean): MachineFaultError | undefined {
  const stats = kindAt(file, follow);
  if (stats === undefined || stats.isFile() || stats.isSymbolicLink()) return undefined;
  return new MachineFaultError(
    stats.isDirectory() ? 'EISDIR' : NOT_A_FILE,
    `the ${what} ${path.resolve(file)} beside ${scoredFile} is ${kindOf(stats)}, not a file, so the run's ${what === 'checkpoint' ? 'settings and figures' : 'figures'} cannot be read from it: ` +
      `move or remove it, then run the same command again`,
  );
}

/** `--summary PATH` naming a folder, a named pipe, a socket or a device: a usage error (the path given is wrong), never a wait for a writer. */
export function refuseWrongKindGiven(summaryPath: string): void {
  const stats = kindAt(summaryPath, true);
  if (stats === undefined || stats.isFile()) return;
  throw new ConfigError(`--summary ${summaryPath} is ${kindOf(stats)}, not a file: give the file --summary-json wrote`);
}

/** What is at the path; undefined when nothing is (or it cannot be looked at: reading it then says why). */
function kindAt(file: string, follow: boolean): Stats | undefined {
  return follow ? statOrUndefined(file) : lstatOrUndefined(file);
}
