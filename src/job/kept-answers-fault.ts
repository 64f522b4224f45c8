import path from 'node:path';
import { ExitCode, MachineFaultError, SentimentBatchError, errorMessage } from '../errors.js';
import { errnoReason, errnoRemedy, machineFaultOf, removedFolderAdvice } from '../machine-fault.js';
import { kibUnder, LowSpaceError } from '../state/cache-space.js';
import { removedMeanwhile } from '../paths/removed-folder.js';
import { ownFolderLine } from './removed-output-folder.js';
import { markStartingOver } from './starting-over.js';
import { refusedJobFile } from './refused-job-file.js';

/**
 * A machine fault while keeping an unfinished job's answers in `storePath` (kept-answers.ts), or a completed job's
 * (`completed`: its output's; `{ journal }`: those of its journal alone, keepJournalAnswers, which reads no output): exit
 * 74 with one line; the old job is as it was, so the same command imports again. Undefined for any other error.
 */
/** Whose answers a fault's line names: an unfinished job's (false), a completed job's output's (true), or a journal's alone. */
export type FaultOf = boolean | { journal: string };

export function keptAnswersFault(error: unknown, storePath: string, completed: FaultOf = false): unknown {
  const fault = error instanceof SentimentBatchError ? (error.exitCode === ExitCode.MachineFault ? error : undefined) : machineFaultOf(error);
  if (fault === undefined) return undefined;
  const errno = fault instanceof MachineFaultError ? fault.errno : 'EIO';
  // The store is kept beside the unfinished job's files (`<output>.answers`): a folder removed under it took them too,
  // and "as they were" would send the operator after files that are gone. The next run finds no job to import from.
  const folder = path.dirname(path.resolve(storePath));
  // A journal-only import's line said "the answers of the completed job's output", of answers it read from the journal.
  const [answers, files] =
    typeof completed === 'object'
      ? [`the answers in the completed job's journal ${completed.journal}`, 'journal, output and checkpoint']
      : completed
        ? ["the answers of the completed job's output", 'output and checkpoint']
        : ['the answers the unfinished job paid for', 'partial output and checkpoint'];
  if (errno === 'ENOENT' && removedMeanwhile(folder)) {
    const gone = typeof completed === 'object' ? "the completed job's journal, output and checkpoint" : completed ? "the completed job's output and checkpoint" : "the unfinished job's partial output, checkpoint and answer journal";
    // Whether the input went too is known where the command says the fault (removed-output-folder.ts): a working folder
    // that held it as well needs it put back, the same command alone finds nothing to read.
    const line = (input: string | undefined) =>
      `${answers} could not be kept in ${storePath} before starting over: the folder ${folder} does not exist any more (it was removed while the command ran), and ${gone} went with it${removedFolderAdvice(input)}`;
    return markStartingOver(ownFolderLine(new MachineFaultError(errno, line(undefined), { cause: error }), line), true);
  }
  // A job file this user may not read (root's 0600 journal) is named, not the folder, which this user may write.
  const refused = errno === 'EACCES' || errno === 'EPERM' ? refusedJobFile(error, storePath) : undefined;
  if (refused !== undefined) {
    const line = `${answers} could not be kept in ${storePath} before starting over: ${refused.what}: nothing was replaced, its ${files} are as they were; ${refused.remedy}, then run the same command again`;
    return markStartingOver(new MachineFaultError(errno, line, { cause: error }), true);
  }
  // The store's own message names it as the result cache (--cache), which this run was not given: the errno's reason
  // is said instead (machine-fault.ts words each errno one way), the full line of any other fault.
  const reason = fault instanceof MachineFaultError ? errnoReason(fault.errno) : undefined;
  // A disk under the store's reserve is not full: its figures are said, or df, showing room left, belies the line.
  const reserve = fault instanceof LowSpaceError ? reserveWords(fault, 'written') : '';
  const what = (reason ?? errorMessage(fault)) + reserve;
  const line = `${answers} could not be kept in ${storePath} before starting over (${what}): nothing was replaced, its ${files} are as they were; ${remedyOf(errno, reason, folder)}, then run the same command again`;
  return markStartingOver(new MachineFaultError(errno, line, { cause: error }), true);
}

/**
 * A full disk (under the store's reserve: cache-space.ts) when a run opens `<output>.answers` to read the answers kept
 * there (kept-answers-store.ts KeptAnswers.open): exit 74, as the import that kept them is on that disk. Undefined for
 * any other error, which loses only a saving (warned, the rows sent). Warned of too, the run paid for every answer kept
 * there again, exit 0: 27 of a journal the same run had just imported on a tmpfs 16,700 KiB large (against serve).
 */
export function keptAnswersReadFault(error: unknown, shownStore: string, storePath: string): MachineFaultError | undefined {
  const fault = error instanceof SentimentBatchError ? (error.exitCode === ExitCode.MachineFault ? error : undefined) : machineFaultOf(error);
  const errno = fault instanceof MachineFaultError ? fault.errno : undefined;
  if (errno !== 'ENOSPC' && errno !== 'EDQUOT') return undefined;
  const reserve = fault instanceof LowSpaceError ? reserveWords(fault, 'opened') : '';
  const remedy = remedyOf(errno, errnoReason(errno), path.dirname(path.resolve(storePath)));
  const line = `the answers kept of a job started over in ${shownStore} cannot be read (${errnoReason(errno)}${reserve}): nothing was sent; ${remedy}, then run the same command again (the answers kept there are not paid for again)`;
  return new MachineFaultError(errno, line, { cause: error });
}

/** The figures of a disk under the store's reserve (df shows it far from full). */
function reserveWords(fault: LowSpaceError, to: string): string {
  const said = kibUnder(fault.free, fault.needed);
  return `: ${said.free} free on its disk, and the store needs ${said.needed} free to be ${to}`;
}

/**
 * What to do before running again. A full line in the parentheses already says it (the open-files limit, a symbolic
 * link, a folder removed...): no advice of its own then. A short reason gets its errno's remedy (a failing disk:
 * check it, a quota: raise it), and so do a full disk, a read-only folder and a refused one: each its own, naming the
 * folder the store is made in (it said "free some space or make the folder writable" to each, half of it beside the point).
 */
function remedyOf(errno: string, reason: string | undefined, folder: string): string {
  if (reason === undefined) return 'fix that fault';
  return errnoRemedy(errno) ?? FOLDER_REMEDIES[errno]?.(folder) ?? 'fix that fault';
}

/** The remedies that depend on the folder written into (machine-fault.ts words the same errnos so for the job's files). */
const FOLDER_REMEDIES: Record<string, (folder: string) => string> = {
  ENOSPC: () => 'free some space on its disk',
  EROFS: (folder) => `mount ${folder} writable`,
  EACCES: (folder) => `give this user write access to ${folder}`,
  EPERM: (folder) => `give this user write access to ${folder}`,
};
