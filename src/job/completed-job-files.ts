import { journalPathFor, removeJournalFile, type AnswerJournal } from '../journal/answer-journal.js';
import { keptAnswersPathFor, removeKeptAnswers } from './kept-answers.js';

/**
 * Removes what a job whose output is complete no longer needs: its answer journal (`journal`, the one this run holds;
 * without one, the file an earlier remote run on this output left: a local backend keeps none) and the answers it
 * inherited (`<output>.answers`, kept-answers.ts). A refusal is thrown as it is: the caller says it with the output
 * complete (run-figures.ts removeJournalOfCompleteOutput, finish-rename.ts).
 */
export function removeCompletedJobFiles(output: string, journal?: AnswerJournal): void {
  if (journal) journal.remove();
  else removeJournalFile(journalPathFor(output));
  removeKeptAnswers(keptAnswersPathFor(output));
}
