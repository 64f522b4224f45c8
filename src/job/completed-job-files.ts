import { errorMessage } from '../errors.js';
import { journalPathFor, removeJournalFile, type AnswerJournal } from '../journal/answer-journal.js';
import type { Logger } from '../log.js';
import { keptAnswersPathFor, removeKeptAnswers } from './kept-answers.js';

/**
 * Removes what a job whose output is complete no longer needs: its answer journal (`journal`, the one this run holds;
 * without one, the file an earlier remote run on this output left: a local backend keeps none) and the answers it
 * inherited (`<output>.answers`, kept-answers.ts). A refusal to remove the journal is thrown as it is: the caller says
 * it with the output complete (run-figures.ts removeJournalOfCompleteOutput, finish-rename.ts); the store's is a
 * warning (removeLeftoverAnswers).
 */
export function removeCompletedJobFiles(output: string, log: Logger, journal?: AnswerJournal): void {
  if (journal) journal.remove();
  else removeJournalFile(journalPathFor(output));
  removeLeftoverAnswers(output, log);
}

/**
 * Removes `<output>.answers` once the output is complete. A refusal (a mount point there: EBUSY; a read-only folder)
 * costs disk, not the output, and nothing reads that store for a complete output: one warning line, the run's exit
 * code its own. The run that completed the output ended "Stopped:", exit 74, while the "already done" rerun warned in
 * the same situation (completed-rerun.ts): both say this line now.
 */
export function removeLeftoverAnswers(output: string, log: Logger): void {
  const store = keptAnswersPathFor(output);
  try {
    removeKeptAnswers(store);
  } catch (error) {
    log.warn(`the answers kept in ${store} are no longer needed but could not be removed (${errorMessage(error)}): the output is complete; the next run tries again, or remove the folder`);
  }
}
