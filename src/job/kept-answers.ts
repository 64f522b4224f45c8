import { backendOfModel } from './backend-switch.js';
import { NO_KEPT_WORDS, type KeptBeforeWords } from './dropped-answers.js';
import { droppedRows, journalAnswers, shown } from './dropped-job-rows.js';
import { emptyStoreFile, emptyStoreWords } from './empty-answer-store.js';
import { storeLinkWords } from './answer-store-link.js';
import { faultOf, importAnswers, otherModelWords, type DroppedJob, type Imported } from './kept-answers-import.js';
import { keptAnswersFault } from './kept-answers-fault.js';
import { unusableKeptWords } from './kept-answers-model.js';
import { keptBefore } from './kept-answers-store.js';
import { LEFT_FOR_LATER, paidOverFree, spared } from './paid-answers-kept.js';
import type { Scores } from '../scoring/scorer.js';
import { groupedNumber } from '../wording/grouped-number.js';

/*
 * `<output>.answers` (kept-answers-path.ts): the answers an unfinished job paid for (or a completed job's output holds,
 * under changed settings), kept on disk when another job at the same output starts over (docs/durability.md). An LMDB
 * store keyed as the result cache is, sha256(model and address, text sent): an answer is found only for the very text
 * sent to the very model, whatever job, text column or --long-text rule asks. On disk, not in memory: a partial output may hold millions of rows. Removed when a job at this
 * output completes, but for answers paid for when the job's model costs nothing (paid-answers-kept.ts).
 */
export { keptAnswersPathFor } from './kept-answers-path.js';
export { KeptAnswers, removeKeptAnswers } from './kept-answers-store.js';
export type { DroppedJob } from './kept-answers-import.js';

/**
 * Before an unfinished job of another input, or of this input under settings that changed (another prefix, text column,
 * --long-text: resume.ts), is started over (its partial output replaced, its journal discarded): its
 * answers, those written in its partial output up to its checkpoint and those its journal holds, are put in the store,
 * committed and synced, so the new job does not pay for them again. Returns what the start-over line adds. So are a
 * completed job's, those its output holds, when this input under changed settings (a typo in the model) starts over:
 * its output is replaced once the new job completes, and until then it stays as it is.
 *
 * kill -9 at any instant leaves the old job whole (nothing of it is touched here) beside a store holding only committed
 * answers, each the right one for its key: the next run imports again. A partial output that is not what its checkpoint
 * says (partial-answers.ts) gives nothing; a machine fault (a full disk, a read-only folder) is exit 74, the old job left
 * as it was, rather than dropping what it paid for.
 */
export async function keepDroppedAnswers(job: DroppedJob): Promise<string> {
  const { checkpoint } = job;
  const { requests, scored } = checkpoint.totals;
  // A completed job's scored rows are answers however they came (paid, or an import's answers the job before it kept:
  // a typo twice over); while a mend replaces its output, those of its mended copy (droppedRows). Nothing of it to keep; answers kept before of this run's model are read all the same, and said (a Workers AI run over
  // an embedded or local job stopped unfinished, which paid for nothing, said only "starting over" and sent none).
  if (checkpoint.completed ? scored === 0 : requests === 0) return keptForThisRun(job);
  // The embedded model's answers cost nothing and no run of it reads kept answers (it scores a text faster than a
  // look-up): importing them read the whole output once more, and the line promised a run of it "does not send them again".
  // Those its run kept of the model this run asks (paid-answers-kept.ts) are used, and said so.
  if (backendOfModel(checkpoint.settings.modelId) === 'embedded') return keptForThisRun(job);
  // `only` unset: some line always.
  return (await answersLine(job)) ?? '';
}

/**
 * A completed job of another input at this output (the nightly routine: today's export at yesterday's `-o`) keeps
 * nothing of its output (resume.ts: that import would cost every night, for answers --cache keeps when asked). But the
 * answers its journal holds under its checkpoint's input and settings were paid for after that output was written, or
 * for rows past it, and are nowhere else: a mend stopped, or refused for the input rewritten while it ran (the run over
 * the new export then paid again for the 222 it had received of 902 listed rows, against serve), or rows past the
 * --limit it completed at (completed-job-files.ts). Those alone are put in the store, with the checks of any import
 * (the store a link, another model's, empty); the run over the new export reads them for the texts it still holds.
 * Undefined when the journal holds none (the nightly routine: a file looked for, none there), and the caller says
 * what it said before.
 */
export async function keepJournalAnswers(job: DroppedJob): Promise<string | undefined> {
  let answers: Array<[string, Scores, number]>;
  try {
    answers = journalAnswers(job.journalPath, job.checkpoint);
  } catch (error) {
    throw keptAnswersFault(error, job.storePath, { journal: shown(job, job.journalPath) }) ?? error;
  }
  if (answers.length === 0 || backendOfModel(job.checkpoint.settings.modelId) === 'embedded') return undefined;
  return answersLine({ ...job, journalOnly: answers });
}

/**
 * A completed job whose export was edited by hand since (a review corrected, a rating changed: same file name, other
 * bytes) is scored afresh, and its output's answers to the texts the edited export still holds (`only`, when they could
 * all be collected) are kept, with its journal's, as keepDroppedAnswers keeps them: only the changed texts are sent
 * (1 request of 2,000 for one text edited, where every row was sent again). An output none of whose answers is to such
 * a text (the export replaced by another of the same name) keeps nothing: undefined, read once to the end, no store
 * written, and the caller says what it said before (the journal's answers, those kept before).
 */
export async function keepEditedAnswers(job: DroppedJob): Promise<string | undefined> {
  return answersLine(job);
}

/**
 * The start-over line's words on the dropped job's answers, once the import has put them in the store (or said why not);
 * undefined when none is to a text of `only` (keepEditedAnswers: nothing written, nothing said).
 */
async function answersLine(job: DroppedJob): Promise<string | undefined> {
  // A damaged store holds nothing to read: the import replaces it, and the line says what was lost.
  const empty = storeLinkWords(job.storePath) === undefined ? emptyStoreFile(job.storePath) : undefined;
  const lost = empty === undefined ? '' : `; ${emptyStoreWords(shown(job, empty))}: the answers kept there before are lost`;
  const words = await importedWords(job);
  return words === undefined ? undefined : words + lost;
}

/** What answersLine says of the import itself (undefined: see answersLine). */
async function importedWords(job: DroppedJob): Promise<string | undefined> {
  const { checkpoint, storePath } = job;
  const { requests, scored } = checkpoint.totals;
  const imported = await importAnswers(job);
  job.abort?.throwIfAborted();
  if ('none' in imported) return undefined;
  // Answers kept before (an import a kill -9 cut short, then the new partial output created: the next run finds it so;
  // or an earlier job's) are used all the same: the line counts them whatever this import did (the import counts the
  // store it had open; otherwise it is opened to count).
  // Only answers of this run's model count: the store records whose its answers are (kept-answers-model.ts).
  const why = 'why' in imported ? imported.why : undefined;
  const before = 'kept' in imported ? { count: imported.kept, model: imported.model } : await keptBefore(storePath, faultOf(job));
  const kept = before.model === job.modelKey ? before.count : 0;
  const store = shown(job, storePath);
  const texts = `${groupedNumber(kept)} ${kept === 1 ? 'text' : 'texts'} in ${store}`;
  const paid = requests === 1 ? 'the 1 request' : `the ${groupedNumber(requests)} requests`;
  // A completed job's rows are counted as answers: some may have cost it nothing (a typo's job put back, served by the store).
  const journalOnly = job.journalOnly?.length;
  const theirs =
    journalOnly !== undefined
      ? `the ${groupedNumber(journalOnly)} ${journalOnly === 1 ? 'answer' : 'answers'} in the completed job's journal ${shown(job, job.journalPath)} (answers kept beside its output: a mend's that did not finish, rows' past its limit, or all of a run's stopped before it put its output in place)`
      : checkpoint.completed
        ? `the ${groupedNumber(scored)} ${scored === 1 ? 'answer' : 'answers'} in the completed job's ${droppedRows(job).words}`
        : `${paid} the unfinished job paid for`;
  const are = (journalOnly ?? (checkpoint.completed ? scored : 2)) === 1 ? 'is' : 'are';
  if ('kept' in imported && imported.model !== job.modelKey) {
    // Kept under their own model (a typo in the model, or a switch tried): only a run that asks that model again reads
    // them, and a job at this output that completes removes the store (so "before a job … completes").
    const count = `${groupedNumber(imported.kept)} ${imported.kept === 1 ? 'text' : 'texts'}`;
    return `; ${theirs} ${are} not reused by this one (${otherModelWords(imported.model, job.modelKey)}), but they are kept in ${store} (${count} of that model): ${untilWords(imported.model, job)}`;
  }
  if ('paid' in imported) {
    // Answers that cost nothing do not replace answers paid for (paid-answers-kept.ts): the store stays as it was.
    const count = `${groupedNumber(imported.paid.count)} ${imported.paid.count === 1 ? 'answer' : 'answers'}`;
    return `; ${theirs} ${are} not kept (they cost nothing, and ${store} keeps ${count} paid for, of ${imported.paid.model}, which they would replace): ${untilWords(imported.paid.model, job)}`;
  }
  const notAgain = `a text among them is not ${spared(job.modelKey).sent} again`;
  if (why === undefined && 'edited' in imported && imported.edited !== undefined) return `; ${imported.edited}: of the answers it paid for, those its journal holds are kept for this job (${texts}): ${notAgain}`;
  if (why === undefined && journalOnly !== undefined) return `; ${theirs} ${are} kept for this job (${texts}): ${notAgain}`;
  if (why === undefined) return `; ${checkpoint.completed ? completedAnswersWords(imported, job.only !== undefined) : 'the answers it paid for'} are kept for this job (${texts}): ${notAgain}`;
  // A job of another model that got no scores (a typo's, refused at its first request): nothing of it was paid for.
  const dropped = 'asked' in imported ? `; ${paid} the unfinished job sent (it asked ${imported.asked}) got no scores` : undefined;
  if (kept > 0) return `${dropped ?? `; ${theirs} ${are} not kept for this one (${why})`}, but the answers kept before are (${texts}): ${notAgain}`;
  const unusable = before.count > 0 ? `; ${unusableKeptWords(before.count, before.model, store)}` : '';
  return `${dropped ?? `; ${theirs} ${are} not reused by this one (${why})`}${unusable}`;
}

/**
 * A completed job's answers as the start-over line names them, with those its journal held (completed-job-files.ts
 * keeps them): for rows past its limit ("the answers of its output (100 texts)" was said of an output of 40 rows,
 * lowfix30), or a mend's that stopped, for rows its output holds failed ("the answers of its output (1,730 texts)"
 * counted 30 of its journal, operator23).
 */
function completedAnswersWords(imported: Imported, filtered: boolean): string {
  const past = 'kept' in imported ? (imported.pastOutput ?? 0) : 0;
  const held = 'kept' in imported ? Math.max(imported.journal ?? 0, past) : 0;
  const answers = (count: number) => `${groupedNumber(count)} ${count === 1 ? 'answer' : 'answers'}`;
  // Its export edited: only the answers to texts the edited export holds (kept-answers-import.ts `only`).
  const output = filtered ? 'the answers of its output to texts this input holds' : 'the answers of its output';
  if (held === 0) return output;
  if (past === held) return `${output} and the ${answers(past)} its journal held for rows past its limit`;
  return `${output} and the ${answers(held)} its journal held${past > 0 ? ` (${groupedNumber(past)} for rows past its limit)` : ''}`;
}

/** Who reads answers of `model` kept in the store, and until when (the local model's: a run of it does not score them again). */
function untilWords(model: string, job: Pick<DroppedJob, 'modelKey' | 'leavesPaid'>): string {
  return job.leavesPaid && paidOverFree(model, job.modelKey)
    ? `a run at this output that asks ${model} again does not send them again (${LEFT_FOR_LATER})`
    : `a run that asks ${model} again, before a job at this output completes, does not ${spared(model).send} them again`;
}

/**
 * What the start-over line says of answers kept before in the store when none of the dropped job's are kept: those of
 * this run's model are read; answers paid for that a run of a model that costs nothing leaves stay for a run back on
 * theirs (an embedded job started over by a local run said only "starting over", the store left as it was).
 */
export async function keptForThisRun(job: KeptForThisRun): Promise<string> {
  return (await keptWordsForThisRun(job)).words;
}

type KeptForThisRun = Pick<DroppedJob, 'checkpoint' | 'storePath' | 'modelKey' | 'leavesPaid' | 'typedOutput'>;

/** keptForThisRun's words, and whether this run reads those answers (resume.ts: not every row is scored again then). */
export async function keptWordsForThisRun(job: KeptForThisRun): Promise<KeptBeforeWords> {
  const before = await keptBefore(job.storePath, job.checkpoint.completed);
  if (before.model === undefined || before.count === 0) return NO_KEPT_WORDS;
  const texts = `${groupedNumber(before.count)} ${before.count === 1 ? 'text' : 'texts'}`;
  if (before.model === job.modelKey) return { words: `; the answers kept before are used (${texts} in ${shown(job, job.storePath)}): a text among them is not ${spared(job.modelKey).sent} again`, read: true };
  if (job.leavesPaid && paidOverFree(before.model, job.modelKey)) return { words: `; the answers paid for kept before in ${shown(job, job.storePath)} (${texts} of ${before.model}) stay: ${untilWords(before.model, job)}`, read: false };
  return NO_KEPT_WORDS;
}

/** The model whose answers `<output>.answers` holds: undefined when it holds none, records none, or cannot be read. */
export async function keptModelOf(storePath: string): Promise<string | undefined> {
  try {
    const before = await keptBefore(storePath);
    return before.count > 0 ? before.model : undefined;
  } catch {
    return undefined;
  }
}
