import type { Checkpoint } from '../state/checkpoint.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { backendOfModel } from './backend-switch.js';
import { spared } from './paid-answers-kept.js';

/**
 * What a start-over line says of the answers kept before in the output's store (kept-answers.ts keptWordsForThisRun):
 * `words` ('' for none), and whether this run reads them (`read`: then not every row is scored again, and resume.ts
 * does not say so).
 */
export interface KeptBeforeWords {
  words: string;
  read: boolean;
}

export const NO_KEPT_WORDS: KeptBeforeWords = { words: '', read: false };

/**
 * What the start-over line of a completed job whose output is not what the job wrote (edited or replaced since, or not
 * shown to be its own) adds: that every row is scored again, and how --cache spares that. Said as it starts, while it
 * can still be stopped (the output at its path is replaced only when the new one completes).
 */
export function rescoredNote(checkpoint: Pick<Checkpoint, 'settings'>, cache: boolean, cacheAdvice = CACHE_FLAG, journal?: JournalHeld): string {
  // The embedded model ignores --cache (it scores a text faster than a look-up): advised it, the run warned it ignored it.
  if (backendOfModel(checkpoint.settings.modelId) === 'embedded') return '; every row is scored again';
  const held = journal !== undefined && journal.count > 0 ? `the ${groupedNumber(journal.count)} ${journal.count === 1 ? 'text' : 'texts'} the journal ${journal.shown} holds answers for` : undefined;
  if (cache) return `; every row is scored again, but for the texts --cache holds answers for${held ? ` and ${held}` : ''}`;
  // The model's verb (the job's model is this run's: the same settings), not the requests the job sent: a Workers AI
  // job that --cache answered whole (0 requests), run again without it, was told "not scored again" of every text sent.
  return `; every row is scored again${held ? `, but for ${held}` : ''} (${cacheAdvice} to keep answers across runs: a text answered before is not ${spared(checkpoint.settings.modelId).sent} again)`;
}

/**
 * The answers a paused run's journal beside the output holds for this input and settings, which the run starting over
 * takes (answer-journal.ts): 50 of 200 rows sent no request, where the line said every row was scored again.
 */
export interface JournalHeld {
  count: number;
  shown: string;
}

/**
 * How advice turns --cache on: the flag, or in a job file's run the key to add (config/setting-names.ts jobFileChange:
 * `add "cache": "DIR" to the job file`), as the next night's run of the file needs it too.
 */
export const CACHE_FLAG = 'run with --cache DIR';

/**
 * What starting over drops of an unfinished job of another input (yesterday's export paused by a budget, a quota or an
 * outage, then today's at the same -o) or under changed settings, when its answers are not kept for the new job (kept-answers.ts keeps them, for
 * a run that can cut texts to the model's window: this is the line of a caller that does not): the requests it paid
 * for, and what keeps them. Said on the start-over line, while the run can still be stopped. Nothing to say for a
 * completed job (its output stays until the new one completes: the nightly routine), for a job that paid for nothing
 * (a local model, or requests all refused unbilled), or with --cache (answers are kept there across jobs).
 */
export function droppedAnswersNote(checkpoint: Checkpoint, cache: boolean, cacheAdvice = CACHE_FLAG): string {
  const { requests, neurons } = checkpoint.totals;
  // No neurons that may be billed: every request was refused unbilled (a wrong token's 401s, a wrong base URL's 404s),
  // and nothing was paid for. It said "the 2 requests the unfinished job paid for" of a wrong token's run.
  if (checkpoint.completed || cache || requests === 0 || neurons === 0) return '';
  const what = requests === 1 ? 'the 1 request' : `the ${groupedNumber(requests)} requests`;
  return `; ${what} the unfinished job paid for are not reused by this one (${cacheAdvice} to keep answers across jobs: a text answered before is not sent again)`;
}
