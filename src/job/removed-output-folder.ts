import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, MachineFaultError, SentimentBatchError } from '../errors.js';
import { removedFolderLine } from '../machine-fault.js';

/**
 * The folder's line when the output's folder is gone as a run ends on a machine fault (exit 74): whichever of the
 * run's steps met the removal first (a rename that found `rm -rf` still emptying the folder, the partial output's
 * check, a write into it), the same command makes the folder again and starts over, and that is what the run must
 * end with (`rename … failed: no such file or directory` was said now and then). Looked at when the command reports
 * the fault, by then the removal is through. Undefined when the folder is there, or `reported` is no machine fault.
 */
export function removedOutputFolder(output: string, reported: unknown): MachineFaultError | undefined {
  if (!(reported instanceof SentimentBatchError) || reported.exitCode !== ExitCode.MachineFault) return undefined;
  const folder = path.resolve(path.dirname(output));
  if (existsSync(folder)) return undefined;
  const line = removedFolderLine(folder);
  return reported instanceof MachineFaultError && reported.message === line ? reported : new MachineFaultError('ENOENT', line, { cause: reported });
}
