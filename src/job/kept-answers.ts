import { existsSync } from 'node:fs';
import { SentimentBatchError, errorMessage } from '../errors.js';
import { answerKeyOf, type Scores } from '../scoring/scorer.js';
import type { ResultCache } from '../state/cache.js';
import { hashSettings, type Checkpoint } from '../state/checkpoint.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { typedPath } from '../wording/typed-path.js';
import { storeLinkWords } from './answer-store-link.js';
import { backendOfModel } from './backend-switch.js';
import { emptyStoreFile, emptyStoreWords } from './empty-answer-store.js';
import { openStore, removeKeptAnswers, unreadableStoreWords } from './kept-answers-store.js';
import { keptAnswersFault } from './kept-answers-fault.js';
import { holdsOtherModel, recordStoreModel, storeModelOf, unusableKeptWords } from './kept-answers-model.js';
import { NO_KEPT_WORDS, type KeptBeforeWords } from './dropped-answers.js';
import { LEFT_FOR_LATER, paidOverFree, spared } from './paid-answers-kept.js';
import { startImportProgress, type ImportProgress, type ImportProgressOptions } from './import-progress.js';
import { PartialMismatch, partialAnswers } from './partial-answers.js';
import type { TextWindow } from './row-plan.js';
import { droppedRows, editedPartial, journalAnswers, textSent } from './dropped-job-rows.js';

/*
 * `<output>.answers` (kept-answers-path.ts): the answers an unfinished job paid for (or a completed job's output holds,
 * under changed settings), kept on disk when another job at the same output starts over (docs/durability.md). An LMDB
 * store keyed as the result cache is, sha256(model and address, text sent): an answer is found only for the very text
 * sent to the very model, whatever job, text column or --long-text rule asks. On disk, not in memory: a partial output may hold millions of rows. Removed when a job at this
 * output completes, but for answers paid for when the job's model costs nothing (paid-answers-kept.ts).
 */
export { keptAnswersPathFor } from './kept-answers-path.js';
export { KeptAnswers, removeKeptAnswers } from './kept-answers-store.js';

/**
 * Puts between two waits for the store's commits: each commit's dirty B-tree pages are held in memory until it is
 * written (random keys: a few pages a put), so this bounds the import's memory (1M rows: 4,096 peaked ~40 MB higher).
 */
const FLUSH_EVERY = 512;

export interface DroppedJob {
  checkpoint: Checkpoint;
  partialPath: string;
  /** Where a completed job's output is: its rows are read from there (an unfinished job's from `partialPath`). */
  outputPath: string;
  journalPath: string;
  storePath: string;
  /** The model (and address) this run asks: answers of another are no answers for it. */
  modelKey: string;
  window: TextWindow | undefined;
  /** This run's model costs nothing (the embedded or local model): its job completing leaves a store of answers paid for (paid-answers-kept.ts). */
  leavesPaid?: boolean;
  /**
   * A signal's (setup-stop.ts setupStep): ends the import at the next row and rejects. A million rows took 93 s (about
   * half since a row not cut is not tokenized again), and a signal was acted on only once they were through; ended,
   * nothing of the old job has been touched and the store holds only committed answers (the next run imports again),
   * as after a kill -9.
   */
  abort?: AbortSignal;
  /** Where the import shows its progress (import-progress.ts): as the run shows its own (--progress). */
  progress?: ImportProgressOptions;
  /**
   * The output as the user gave it (`-o out.csv`): the lines name the store and the job's files after it, as `Done:
   * out.csv` does (wording/typed-path.ts); they named `/home/me/exports/out.csv.answers`. Machine faults
   * (kept-answers-fault.ts) keep the absolute path: the operator looks up its disk or mount.
   */
  typedOutput?: string;
  /**
   * A completed job of another input: only its journal's answers are kept, this many (keepJournalAnswers), not its
   * output's.
   */
  journalOnly?: number;
}

/** `file` (the store, the job's output or partial output) as the lines name it. */
const shown = (job: Pick<DroppedJob, 'typedOutput'>, file: string): string => typedPath(file, job.typedOutput);

/** Whose answers a machine fault's line says could not be kept (kept-answers-fault.ts): a journal-only import's are its journal's. */
const faultOf = (job: DroppedJob): boolean | { journal: string } => (job.journalOnly !== undefined ? { journal: shown(job, job.journalPath) } : job.checkpoint.completed);

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
  const { checkpoint, storePath } = job;
  const { requests, scored } = checkpoint.totals;
  // A completed job's scored rows are answers however they came (paid, or an import's answers the job before it kept:
  // a typo twice over); while a mend replaces its output, those of its mended copy (droppedRows). Nothing of it to keep; answers kept before of this run's model are read all the same, and said (a Workers AI run over
  // an embedded or local job stopped unfinished, which paid for nothing, said only "starting over" and sent none).
  if (checkpoint.completed ? scored === 0 : requests === 0) return keptForThisRun(job);
  // The embedded model's answers cost nothing and no run of it reads kept answers (it scores a text faster than a
  // look-up): importing them read the whole output once more, and the line promised a run of it "does not send them again".
  // Those its run kept of the model this run asks (paid-answers-kept.ts) are used, and said so.
  if (backendOfModel(checkpoint.settings.modelId) === 'embedded') return keptForThisRun(job);
  // A damaged store holds nothing to read: the import replaces it, and the line says what was lost.
  const empty = storeLinkWords(storePath) === undefined ? emptyStoreFile(storePath) : undefined;
  const lost = empty === undefined ? '' : `; ${emptyStoreWords(shown(job, empty))}: the answers kept there before are lost`;
  return (await answersLine(job)) + lost;
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
  let count: number;
  try {
    count = journalAnswers(job.journalPath, job.checkpoint).length;
  } catch (error) {
    throw keptAnswersFault(error, job.storePath, { journal: shown(job, job.journalPath) }) ?? error;
  }
  if (count === 0 || backendOfModel(job.checkpoint.settings.modelId) === 'embedded') return undefined;
  const empty = storeLinkWords(job.storePath) === undefined ? emptyStoreFile(job.storePath) : undefined;
  const lost = empty === undefined ? '' : `; ${emptyStoreWords(shown(job, empty))}: the answers kept there before are lost`;
  return (await answersLine({ ...job, journalOnly: count })) + lost;
}

/** The start-over line's words on the dropped job's answers, once the import has put them in the store (or said why not). */
async function answersLine(job: DroppedJob): Promise<string> {
  const { checkpoint, storePath } = job;
  const { requests, scored } = checkpoint.totals;
  const imported = await importAnswers(job);
  job.abort?.throwIfAborted();
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
  const { journalOnly } = job;
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
  if (why === undefined) return `; ${checkpoint.completed ? completedAnswersWords(imported) : 'the answers it paid for'} are kept for this job (${texts}): ${notAgain}`;
  // A job of another model that got no scores (a typo's, refused at its first request): nothing of it was paid for.
  const dropped = 'asked' in imported ? `; ${paid} the unfinished job sent (it asked ${imported.asked}) got no scores` : undefined;
  if (kept > 0) return `${dropped ?? `; ${theirs} ${are} not kept for this one (${why})`}, but the answers kept before are (${texts}): ${notAgain}`;
  const unusable = before.count > 0 ? `; ${unusableKeptWords(before.count, before.model, store)}` : '';
  return `${dropped ?? `; ${theirs} ${are} not reused by this one (${why})`}${unusable}`;
}

/**
 * A completed job's answers as the start-over line names them, with those its journal held for rows past its limit
 * (completed-job-files.ts keeps them): "the answers of its output (100 texts)" was said of an output of 40 rows (lowfix30).
 */
function completedAnswersWords(imported: Imported): string {
  const past = 'kept' in imported ? (imported.pastOutput ?? 0) : 0;
  if (past > 0) return `the answers of its output and the ${groupedNumber(past)} ${past === 1 ? 'answer' : 'answers'} its journal held for rows past its limit`;
  return 'the answers of its output';
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

/**
 * What an import did: how many answers the store holds once they are kept, and whose (`model`); else why none were
 * (`asked`: the job, of that other model, holds no scores).
 */
type Imported = { kept: number; model: string; edited?: string; pastOutput?: number } | { why: string; asked?: string } | { paid: { count: number; model: string } };

const otherModelWords = (theirs: string, asked: string) => `its answers are of ${theirs}, this run asks ${asked}`;

/** Puts the dropped job's answers in the store, its progress shown meanwhile: see importWith. */
async function importAnswers(job: DroppedJob): Promise<Imported> {
  // A journal's answers alone are a mend's listed rows at most: no read of the output to show.
  const progress = job.progress && job.journalOnly === undefined ? startImportProgress(job.progress, job.checkpoint.totals.scored, job.checkpoint.completed) : undefined;
  try {
    return await importWith(job, progress);
  } finally {
    progress?.stop();
  }
}

/**
 * Puts the dropped job's answers in the store: how many answers it holds once they are kept, else why none were.
 *
 * Answers of another model than this run's are kept too, under their own model: a typo in a paused job's model
 * (`…-int9`) started the job over before the service refused the model, and its answers, not kept, were paid for
 * again once the model was put back (288 of 1,000 in an operator's run). Nothing tells a typo from a switch made on
 * purpose before the first request (and a probe would be a paid request), so they are kept either way, unless the
 * store holds answers of this run's model (of use to it, so kept as they are) or the job has no answer to keep (a run
 * of the typo itself, refused at its first request: its import must not replace the answers of the model before it).
 */
async function importWith(job: DroppedJob, progress: ImportProgress | undefined): Promise<Imported> {
  const { storePath, abort } = job;
  const { path: partialPath, words: fileWords, checkpoint } = droppedRows(job);
  // The model its answers are filed under is the one its settings name: edited by hand (their hash no longer theirs),
  // another model's answers would be taken for this one's, as a resume refuses such a checkpoint (resume.ts).
  if (hashSettings(checkpoint.settings) !== checkpoint.settingsHash) return { why: 'its checkpoint\'s settings are not the ones its settingsHash was made from (edited by hand)' };
  const theirs = answerKeyOf(checkpoint.settings);
  const otherModel = theirs !== job.modelKey ? otherModelWords(theirs, job.modelKey) : undefined;
  // A journal's answers are filed under the texts sent as they are: no row is cut again.
  const { window } = job;
  if (window === undefined && job.journalOnly === undefined) return { why: otherModelWords(theirs, job.modelKey) };
  const before = await keptBefore(storePath, faultOf(job));
  const keptModel = before.count > 0 ? before.model : undefined;
  // Of use to this run, kept as they are; unless they cost nothing and these were paid for (paid-answers-kept.ts).
  if (otherModel !== undefined && keptModel === job.modelKey && !paidOverFree(theirs, keptModel)) return { why: otherModel, ...(noScores(job) ? { asked: theirs } : {}) };
  if (keptModel !== undefined && keptModel !== theirs && paidOverFree(keptModel, theirs)) return { paid: { count: before.count, model: keptModel } };
  let rows = 0;
  try {
    // Read through once before anything is kept: a partial output that is not its checkpoint's gives nothing.
    for await (const _ of job.journalOnly === undefined ? partialAnswers(partialPath, checkpoint) : []) {
      abort?.throwIfAborted();
      progress?.count();
      rows++;
    }
  } catch (error) {
    if (error instanceof PartialMismatch) return { why: `its ${fileWords} is not as its checkpoint recorded it, edited by hand?: ${error.message}` };
    const fault = keptAnswersFault(error, storePath, faultOf(job));
    if (fault !== undefined) throw fault;
    // A header the readers refuse is this file's, not the run's input's: no reuse, not a refusal of the run.
    if (error instanceof SentimentBatchError) return { why: `its ${fileWords} cannot be read as the job wrote it: ${errorMessage(error)}` };
    throw error;
  }
  // Each row checked alone, a text edited at the same length kept its old answer, filed under the edited text (today's
  // row with that text written with it, no request). The CRC-32 tells the edit, not the row: the answers are then the
  // journal's alone, each under the text it was received for (rows its rewrite had dropped are paid for again).
  let edited: string | undefined;
  let journal: Array<[string, Scores, number]>;
  try {
    const crc = await editedPartial(partialPath, checkpoint);
    edited = crc === undefined ? undefined : `its ${fileWords} is not as its checkpoint recorded it (${crc})`;
    journal = journalAnswers(job.journalPath, checkpoint);
  } catch (error) {
    // A machine fault reading either is the machine's (exit 74), as in the read-through above.
    throw keptAnswersFault(error, storePath, faultOf(job)) ?? error;
  }
  if (edited !== undefined && journal.length === 0) return { why: edited };
  const link = storeLinkWords(storePath, shown(job, storePath));
  if (link !== undefined) return { why: link };
  let store: ResultCache | undefined;
  try {
    // Nothing to keep (a row scored but not read back exactly is not reused, so "no scores" only when none was scored).
    if (otherModel !== undefined && (edited === undefined ? rows : 0) + journal.length === 0) return { why: otherModel, ...(checkpoint.totals.scored === 0 ? { asked: theirs } : {}) };
    if (emptyStoreFile(storePath) !== undefined) removeKeptAnswers(storePath);
    store = await openStore(storePath);
    if (store !== undefined && holdsOtherModel(store, theirs)) {
      // Another model's answers, of a job no longer at this output: replaced by these (kept-answers-model.ts says why).
      await store.close();
      removeKeptAnswers(storePath);
      store = await openStore(storePath);
    }
    if (store === undefined) return { why: `${shown(job, storePath)} is in use by another process` };
    recordStoreModel(store, theirs);
    let puts = 0;
    const put = async (text: string, scores: Scores): Promise<void> => {
      abort?.throwIfAborted();
      (store as ResultCache).put(theirs, text, scores);
      if (++puts % FLUSH_EVERY === 0) await (store as ResultCache).flush();
    };
    progress?.step('keep');
    for await (const row of edited === undefined && window !== undefined && job.journalOnly === undefined ? partialAnswers(partialPath, checkpoint) : []) {
      progress?.count();
      const sent = textSent(row, window as TextWindow);
      if (sent !== undefined) await put(sent, row.scores);
    }
    for (const [text, scores] of journal) await put(text, scores);
    // Committed and synced (each LMDB commit is) before the caller replaces anything; counted once committed.
    await store.flush();
    const kept = store.stats().entries;
    await store.close();
    // Those of rows past a completed job's output (answered ahead of its limit), not those of rows it wrote (killed before its rename).
    const pastOutput = checkpoint.completed && job.journalOnly === undefined ? journal.filter(([, , index]) => index >= checkpoint.position.nextIndex).length : 0;
    return { kept, model: theirs, pastOutput, ...(edited !== undefined ? { edited } : {}) };
  } catch (error) {
    await store?.close().catch(() => undefined);
    const fault = keptAnswersFault(error, storePath, faultOf(job));
    if (fault !== undefined) throw fault;
    // Something else at that path (a file put there by hand): no reuse, as before this store existed, not a refused run.
    if (error instanceof SentimentBatchError) return { why: `${shown(job, storePath)} cannot keep them: ${errorMessage(error)}` };
    throw error;
  }
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

/** How many answers the store holds (0 when there is none), and the model it records them to be of. */
async function keptBefore(storePath: string, completed: boolean | { journal: string } = false): Promise<{ count: number; model: string | undefined }> {
  if (!existsSync(storePath) || unreadableStoreWords(storePath) !== undefined) return { count: 0, model: undefined };
  try {
    const store = await openStore(storePath);
    const kept = { count: store?.stats().entries ?? 0, model: store && storeModelOf(store) };
    await store?.close();
    return kept;
  } catch (error) {
    const fault = keptAnswersFault(error, storePath, completed);
    if (fault !== undefined) throw fault;
    if (error instanceof SentimentBatchError) return { count: 0, model: undefined };
    throw error;
  }
}

/** Whether the dropped job holds no scores: none in its partial output (by its checkpoint's count), none in its journal. */
function noScores(job: DroppedJob): boolean {
  if (job.checkpoint.totals.scored > 0) return false;
  try {
    return journalAnswers(job.journalPath, job.checkpoint).length === 0;
  } catch (error) {
    throw keptAnswersFault(error, job.storePath) ?? error;
  }
}

