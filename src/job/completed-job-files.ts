import { lstatSync } from 'node:fs';
import { errorMessage } from '../errors.js';
import { AnswerJournal, journalPathFor, removeJournalFile } from '../journal/answer-journal.js';
import type { JournalKey } from '../journal/journal-format.js';
import type { Logger } from '../log.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { keptAnswersPathFor } from './kept-answers-path.js';
import { removeKeptAnswers } from './kept-answers-store.js';

/**
 * Removes what a job whose output is complete no longer needs: its answer journal (`journal`, the one this run holds;
 * without one, the file an earlier remote run on this output left: a local backend keeps none) and the answers it
 * inherited (`<output>.answers`, kept-answers.ts; not answers paid for by a run whose model costs nothing, `leavesKeptAnswers`: paid-answers-kept.ts),
 * but for a job complete at its --limit (`pastLimit`, below). A refusal to remove either is a warning (removeLeftoverJournal,
 * removeLeftoverAnswers), never a failed run.
 */
export function removeCompletedJobFiles(output: string, log: Logger, journal?: AnswerJournal, leavesKeptAnswers = false, pastLimit?: PastLimit): void {
  doneWithJournal(output, log, journal, pastLimit);
  removeLeftoverAnswers(output, log, leavesKeptAnswers || pastLimit !== undefined);
}

/**
 * A job complete at its --limit (the record it stopped before is the limit's): the input may go on past it, and the
 * answers paid for rows past it (an earlier run's, with a higher limit or none, killed or paused ahead of the rows it
 * wrote) are kept, for a later run over this output with a higher limit or none, which starts over and keeps them
 * (kept-answers.ts reads the completed job's journal beside its output): its journal keeps those alone, and
 * `<output>.answers` stays. Both were removed, and that run paid for them again (operator18: 20,000 rows killed at 5 s
 * with 863 answers, completed at --limit 415, then run with none: 20,463 requests). `key`: the journal's header as
 * the checkpoint has it, for a run that holds no journal of its own (the "already done" rerun, finish-rename.ts).
 */
export interface PastLimit {
  nextIndex: number;
  key?: JournalKey;
}

/** The job reached its --limit at `nextIndex` (the record after the last it wrote): see PastLimit. */
export function pastLimitOf(limit: number | undefined, nextIndex: number, key?: JournalKey): PastLimit | undefined {
  return limit !== undefined && nextIndex >= limit ? { nextIndex, ...(key ? { key } : {}) } : undefined;
}

/** pastLimitOf the completed job a checkpoint describes, its journal keyed as the checkpoint is. */
export function checkpointPastLimit(checkpoint: Checkpoint): PastLimit | undefined {
  return pastLimitOf(checkpoint.settings.limit, checkpoint.position.nextIndex, { settingsHash: checkpoint.settingsHash, identity: checkpoint.input.identity });
}

/**
 * The output is complete: the journal is removed (removeLeftoverJournal), but for the answers to rows past the --limit
 * the job reached (PastLimit). A journal it cannot read or rewrite is removed as any other, and a refusal warned of.
 */
export function doneWithJournal(output: string, log: Logger, journal: AnswerJournal | undefined, pastLimit: PastLimit | undefined): void {
  if (pastLimit !== undefined && keptPastLimit(output, journal, pastLimit)) return;
  removeLeftoverJournal(output, log, journal);
}

function keptPastLimit(output: string, journal: AnswerJournal | undefined, { nextIndex, key }: PastLimit): boolean {
  try {
    if (journal) return journal.keepRowsFrom(nextIndex);
    return key !== undefined && AnswerJournal.keepRowsFrom(journalPathFor(output), key, nextIndex);
  } catch {
    return false;
  }
}

/**
 * Removes the answer journal once the output is complete: `journal`, this run's, or else the file at its path. A
 * refusal (a folder made there, a mount point, a folder gone read-only) costs disk, not the output: the journal holds
 * final answers (scores, refusals for content) keyed by text under its input's identity and settings, so nothing
 * reads it wrongly. The next run of this job is "already done" and removes a file left there (completed-rerun.ts); a
 * mend of it replays the answers rather than pay for them again; another job at this output does not replay them
 * (their header is not its own), and a folder there it refuses at its start, before any request, naming the folder.
 * So one warning line, the run's exit code its own: it was exit 74 "Stopped:" where the store's same refusal warned.
 */
function removeLeftoverJournal(output: string, log: Logger, journal?: AnswerJournal): void {
  const file = journalPathFor(output);
  try {
    if (journal) journal.remove();
    else removeJournalFile(file);
  } catch (error) {
    if (isFolder(file)) {
      log.warn(`${file} is a folder where the answer journal was, which the complete job no longer needs: the output is complete; move or remove that folder (it is never removed for you): another job at this output cannot keep its answers there`);
    } else {
      log.warn(`the answer journal ${file} is no longer needed but could not be removed (${errorMessage(error)}): the output is complete; the next run tries again, or remove the file`);
    }
  }
}

/**
 * The output is complete and this run mends rows earlier runs left failed: the journal keeps only the answers earlier
 * runs received, for that mend (AnswerJournal.keepEarlierAnswers). Removing it when none are left is refused as at
 * any completion: a warning (removeLeftoverJournal).
 */
export function keepEarlierAnswers(output: string, log: Logger, journal: AnswerJournal | undefined): void {
  try {
    journal?.keepEarlierAnswers();
  } catch {
    removeLeftoverJournal(output, log);
  }
}

/** Whether a folder is at `file` (false when it cannot be asked). */
function isFolder(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * Removes `<output>.answers` once the output is complete. A refusal (a mount point there: EBUSY; a read-only folder)
 * costs disk, not the output, and nothing reads that store for a complete output: one warning line, the run's exit
 * code its own. The run that completed the output ended "Stopped:", exit 74, while the "already done" rerun warned in
 * the same situation (completed-rerun.ts): both say this line now.
 */
export function removeLeftoverAnswers(output: string, log: Logger, leavesKeptAnswers = false): void {
  // A run of a model that costs nothing (embedded, local) and a store of a paid model's answers: kept for a run back on it (paid-answers-kept.ts).
  if (leavesKeptAnswers) return;
  const store = keptAnswersPathFor(output);
  try {
    removeKeptAnswers(store);
  } catch (error) {
    log.warn(`the answers kept in ${store} are no longer needed but could not be removed (${errorMessage(error)}): the output is complete; the next run tries again, or remove the folder`);
  }
}
