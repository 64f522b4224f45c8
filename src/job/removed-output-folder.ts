import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, MachineFaultError } from '../errors.js';
import { removedFolderLine } from '../machine-fault.js';
import { STDIN_PATH } from '../io/format.js';
import { removedMeanwhile } from '../paths/removed-folder.js';

/**
 * The folder's line when the output's folder is gone as a run ends on a machine fault (exit 74): whichever of the
 * run's steps met the removal first (a rename that found `rm -rf` still emptying the folder, the partial output's
 * check, a write into it), the same command makes the folder again and starts over, and that is what the run must
 * end with (`rename … failed: no such file or directory` was said now and then). Looked at when the command reports
 * the fault, by then the removal is through. Undefined when the folder is there, was never there (the run could not make
 * it), or `reported` is no ENOENT fault.
 * `input`: the job's input, which the line names when it went with the folder (the same command alone would not do).
 */
export function removedOutputFolder(output: string, reported: unknown, input?: string): MachineFaultError | undefined {
  // A file or folder not found (ENOENT) only: a folder that could not be made (read-only, EROFS) never was there.
  if (!(reported instanceof MachineFaultError) || reported.exitCode !== ExitCode.MachineFault || reported.errno !== 'ENOENT') return undefined;
  const folder = path.resolve(path.dirname(output));
  // One the run found missing and could not make (-o /proc/x/out.csv) was never there: its own line says why.
  if (!removedMeanwhile(folder)) return undefined;
  const gone = inputGoneWith(folder, input);
  const line = OWN_LINES.get(reported)?.(gone) ?? removedFolderLine(folder, gone);
  return reported.message === line ? reported : new MachineFaultError('ENOENT', line, { cause: reported });
}

/** Faults that word a folder removed under them in their own line, given the input gone with it (ownFolderLine). */
const OWN_LINES = new WeakMap<object, (input: string | undefined) => string>();

/**
 * Marks `fault`, a folder removed under a step that says more than the folder's line (kept-answers-fault.ts: what
 * could not be kept, and which files went), as worded by `line`: removedOutputFolder, which knows the job's input, says
 * that line with it instead of the folder's plain line. `fault`'s own message is `line(undefined)`.
 */
export function ownFolderLine(fault: MachineFaultError, line: (input: string | undefined) => string): MachineFaultError {
  OWN_LINES.set(fault, line);
  return fault;
}

/**
 * The input, resolved, when it was inside the removed folder and is gone with it (a working folder that held both
 * deleted): "run the same command again: it makes the folder again" alone would end in an input not found. Undefined
 * for standard input, and for an input elsewhere, which the next run reads again.
 */
function inputGoneWith(folder: string, input: string | undefined): string | undefined {
  if (input === undefined || input === STDIN_PATH) return undefined;
  const resolved = path.resolve(input);
  const inside = path.relative(folder, resolved);
  return inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside) && !existsSync(resolved) ? resolved : undefined;
}
