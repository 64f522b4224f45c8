import { ExitCode, MachineFaultError, SentimentBatchError, errorMessage } from '../errors.js';
import { errnoReason, machineFaultOf } from '../machine-fault.js';
import { markStartingOver } from './starting-over.js';

/**
 * A machine fault while keeping an unfinished job's answers in `storePath` (kept-answers.ts): exit 74 with one line;
 * the old job is as it was, so the same command imports again. Undefined for any other error.
 */
export function keptAnswersFault(error: unknown, storePath: string): unknown {
  const fault = error instanceof SentimentBatchError ? (error.exitCode === ExitCode.MachineFault ? error : undefined) : machineFaultOf(error);
  if (fault === undefined) return undefined;
  const errno = fault instanceof MachineFaultError ? fault.errno : 'EIO';
  // The store's own message names it as the result cache (--cache), which this run was not given: the errno's reason
  // is said instead (machine-fault.ts words each errno one way), the full line of any other fault.
  const what = (fault instanceof MachineFaultError ? errnoReason(fault.errno) : undefined) ?? errorMessage(fault);
  const line = `the answers the unfinished job paid for could not be kept in ${storePath} before starting over (${what}): nothing was replaced, its partial output and checkpoint are as they were; free some space or make the folder writable, then run the same command again`;
  return markStartingOver(new MachineFaultError(errno, line, { cause: error }), true);
}
