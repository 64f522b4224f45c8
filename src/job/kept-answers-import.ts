import { SentimentBatchError, errorMessage } from '../errors.js';
import { answerKeyOf, type Scores } from '../scoring/scorer.js';
import type { ResultCache } from '../state/cache.js';
import { hashSettings, type Checkpoint } from '../state/checkpoint.js';
import { storeLinkWords } from './answer-store-link.js';
import { droppedRows, editedPartial, journalAnswers, ReadDigest, shown, textSent } from './dropped-job-rows.js';
import { emptyStoreFile } from './empty-answer-store.js';
import { keptAnswersFault, type FaultOf } from './kept-answers-fault.js';
import { holdsOtherModel, recordStoreModel } from './kept-answers-model.js';
import { keptBefore, openStore, removeKeptAnswers } from './kept-answers-store.js';
import { startImportProgress, type ImportProgress, type ImportProgressOptions } from './import-progress.js';
import { paidOverFree } from './paid-answers-kept.js';
import { PartialMismatch, partialAnswers, type WrittenAnswer } from './partial-answers.js';
import type { TextWindow } from './row-plan.js';
import type { TextSet } from './text-set.js';

// The import of a dropped job's answers into `<output>.answers` (kept-answers.ts says when, and what the line says).

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
   * A completed job of another input: only these answers, its journal's as keepJournalAnswers read them, are kept, not
   * its output's.
   */
  journalOnly?: Array<[string, Scores, number]>;
  /**
   * The texts of the input that starts over (a completed job's export edited by hand: run-start.ts): of its output, only
   * the answers to these are kept, so an export with nothing in common pays no store writes. Its journal's are all kept.
   */
  only?: TextSet;
}

/**
 * What an import did: how many answers the store holds once they are kept, and whose (`model`); else why none were
 * (`asked`: the job, of that other model, holds no scores). `journal`: its journal's answers to texts its output does not
 * answer (importWith).
 */
export type Imported =
  | { kept: number; model: string; edited?: string; pastOutput?: number; journal?: number }
  | { why: string; asked?: string }
  | { paid: { count: number; model: string } }
  | { none: true };

export const otherModelWords = (theirs: string, asked: string) => `its answers are of ${theirs}, this run asks ${asked}`;

/** Puts the dropped job's answers in the store, its progress shown meanwhile: see importWith. */
export async function importAnswers(job: DroppedJob): Promise<Imported> {
  // A journal's answers alone are a mend's listed rows at most: no read of the output to show.
  if (job.journalOnly !== undefined) return importJournal(job, job.journalOnly);
  const progress = job.progress ? startImportProgress(job.progress, job.checkpoint.totals.scored, job.checkpoint.completed) : undefined;
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
  const { storePath, abort, window } = job;
  const { path: partialPath, words: fileWords, checkpoint } = droppedRows(job);
  const model = theirModel(job, checkpoint);
  if ('why' in model) return model;
  if (window === undefined) return { why: otherModelWords(model.theirs, job.modelKey) };
  const held = await storeHolds(job, model);
  if (held !== undefined) return held;
  let rows = 0;
  // An edited export's (`only`): the rows to keep, gathered as the file is checked, so it is read once, not twice (100,000
  // rows, one text edited: 9.4 s of CPU for the run, 8.2 s: docs/durability.md). Bounded as `only` is (old-output-answers.ts textsToScore).
  const wantedRows = job.only === undefined ? undefined : new WantedRows(job.only);
  // Its digest taken on the way, compared once it is read through (editedPartial): the file is not read again for it.
  const digest = new ReadDigest(checkpoint);
  try {
    // Read through once before anything is kept: a partial output that is not its checkpoint's gives nothing.
    for await (const row of partialAnswers(partialPath, checkpoint, digest.tap)) {
      abort?.throwIfAborted();
      progress?.count();
      rows++;
      wantedRows?.add(row);
    }
  } catch (error) {
    if (error instanceof PartialMismatch) return { why: `its ${fileWords} is not as its checkpoint recorded it, edited by hand?: ${error.message}` };
    const fault = keptAnswersFault(error, storePath, checkpoint.completed);
    if (fault !== undefined) throw fault;
    // A header the readers refuse is this file's, not the run's input's: no reuse, not a refusal of the run.
    if (error instanceof SentimentBatchError) return { why: `its ${fileWords} cannot be read as the job wrote it: ${errorMessage(error)}` };
    throw error;
  }
  // Each row checked alone, a text edited at the same length kept its old answer, filed under the edited text (today's
  // row with that text written with it, no request). The CRC-32 (a completed job's sha256) tells the edit, not the row:
  // the answers are then the journal's alone, each under the text it was received for (rows its rewrite had dropped are
  // paid for again).
  let edited: string | undefined;
  let journal: Array<[string, Scores, number]>;
  try {
    const changed = await editedPartial(partialPath, checkpoint, digest);
    edited = changed === undefined ? undefined : `its ${fileWords} is not as its checkpoint recorded it (${changed})`;
    journal = journalAnswers(job.journalPath, checkpoint);
  } catch (error) {
    // A machine fault reading either is the machine's (exit 74), as in the read-through above.
    throw keptAnswersFault(error, storePath, checkpoint.completed) ?? error;
  }
  if (edited !== undefined && journal.length === 0) return { why: edited };
  // None of its answers is to a text of the edited export (another export of the same name): nothing written.
  if (wantedRows?.size === 0) return { none: true };
  // The journal's texts its output does not answer (a mend's that stopped, for rows the output holds failed): said apart
  // from the output's. A job killed before its rename has a journal of the very answers its output holds: none of those.
  const notInOutput = new Set(journal.map(([text]) => text));
  // Read again only to tell its journal's answers apart (each row's text sent is needed for that, not just the wanted ones').
  const kept = edited !== undefined ? [] : wantedRows !== undefined && notInOutput.size === 0 ? wantedRows.rows() : partialAnswers(partialPath, checkpoint);
  // Its rows read back count only where they are kept: not when it was edited (its journal's answers alone are then).
  const stored = await keepInStore(job, model, (edited === undefined ? rows : 0) + journal.length, async (put) => {
    progress?.step('keep');
    for await (const row of kept) {
      progress?.count();
      const wanted = job.only?.has(row.text) ?? true;
      // A row not kept is cut to the window again only to tell its journal's answers apart.
      if (!wanted && notInOutput.size === 0) continue;
      const sent = textSent(row, window);
      if (sent === undefined) continue;
      notInOutput.delete(sent);
      if (wanted) await put(sent, row.scores);
    }
    for (const [text, scores] of journal) await put(text, scores);
  });
  if ('why' in stored) return stored;
  // Those of rows past a completed job's output (answered ahead of its limit), not those of rows it wrote (killed before its rename).
  const pastOutput = checkpoint.completed ? journal.filter(([, , index]) => index >= checkpoint.position.nextIndex).length : 0;
  const journalOwn = checkpoint.completed ? journal.filter(([text]) => notInOutput.has(text)).length : 0;
  return { ...stored, pastOutput, journal: journalOwn, ...(edited !== undefined ? { edited } : {}) };
}

/**
 * Puts a completed job's journal's answers alone in the store (keepJournalAnswers), with importWith's checks: its output
 * is not read (nor proven by its digest, as dropped-job-rows.ts editedPartial proves it for its answers), and its
 * answers are filed under the texts sent as they are, no row cut again, so no window is asked for.
 */
async function importJournal(job: DroppedJob, journal: Array<[string, Scores, number]>): Promise<Imported> {
  const model = theirModel(job, job.checkpoint);
  if ('why' in model) return model;
  const held = await storeHolds(job, model);
  if (held !== undefined) return held;
  return keepInStore(job, model, journal.length, async (put) => {
    for (const [text, scores] of journal) await put(text, scores);
  });
}

/** Whose answers a machine fault's line says could not be kept (kept-answers-fault.ts): a journal-only import's are its journal's. */
export const faultOf = (job: DroppedJob): FaultOf => (job.journalOnly !== undefined ? { journal: shown(job, job.journalPath) } : job.checkpoint.completed);

/** The dropped job's model (`theirs`, the key its answers are filed under) and, when it is not this run's, why. */
interface TheirModel {
  checkpoint: Checkpoint;
  theirs: string;
  otherModel: string | undefined;
}

/**
 * The model the dropped job's answers are filed under: the one its settings name. Edited by hand (their hash no longer
 * theirs), another model's answers would be taken for this one's, as a resume refuses such a checkpoint (resume.ts).
 */
function theirModel(job: DroppedJob, checkpoint: Checkpoint): TheirModel | { why: string } {
  if (hashSettings(checkpoint.settings) !== checkpoint.settingsHash) return { why: 'its checkpoint\'s settings are not the ones its settingsHash was made from (edited by hand)' };
  const theirs = answerKeyOf(checkpoint.settings);
  return { checkpoint, theirs, otherModel: theirs !== job.modelKey ? otherModelWords(theirs, job.modelKey) : undefined };
}

/** What the store holds that these answers do not replace (importWith says when), else undefined. */
async function storeHolds(job: DroppedJob, { checkpoint, theirs, otherModel }: TheirModel): Promise<Imported | undefined> {
  const before = await keptBefore(job.storePath, faultOf(job));
  const keptModel = before.count > 0 ? before.model : undefined;
  // Of use to this run, kept as they are; unless they cost nothing and these were paid for (paid-answers-kept.ts).
  if (otherModel !== undefined && keptModel === job.modelKey && !paidOverFree(theirs, keptModel)) return { why: otherModel, ...(noScores(job) ? { asked: theirs } : {}) };
  if (keptModel !== undefined && keptModel !== theirs && paidOverFree(keptModel, theirs)) return { paid: { count: before.count, model: keptModel } };
  return undefined;
}

/**
 * Opens the store (replacing a damaged one, or another model's) and `fill`s it with the `count` answers to keep, then
 * commits: how many it holds, and whose; else why none were kept (the store a link, in use, or nothing to keep).
 */
async function keepInStore(
  job: DroppedJob,
  { checkpoint, theirs, otherModel }: TheirModel,
  count: number,
  fill: (put: (text: string, scores: Scores) => Promise<void>) => Promise<void>,
): Promise<{ kept: number; model: string } | { why: string; asked?: string }> {
  const { storePath, abort } = job;
  const link = storeLinkWords(storePath, shown(job, storePath));
  if (link !== undefined) return { why: link };
  let store: ResultCache | undefined;
  try {
    // Nothing to keep ("no scores" only when none was scored).
    if (otherModel !== undefined && count === 0) return { why: otherModel, ...(checkpoint.totals.scored === 0 ? { asked: theirs } : {}) };
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
    await fill(async (text, scores) => {
      abort?.throwIfAborted();
      (store as ResultCache).put(theirs, text, scores);
      if (++puts % FLUSH_EVERY === 0) await (store as ResultCache).flush();
    });
    // Committed and synced (each LMDB commit is) before the caller replaces anything; counted once committed.
    await store.flush();
    const kept = store.stats().entries;
    await store.close();
    return { kept, model: theirs };
  } catch (error) {
    await store?.close().catch(() => undefined);
    const fault = keptAnswersFault(error, storePath, faultOf(job));
    if (fault !== undefined) throw fault;
    // Something else at that path (a file put there by hand): no reuse, as before this store existed, not a refused run.
    if (error instanceof SentimentBatchError) return { why: `${shown(job, storePath)} cannot keep them: ${errorMessage(error)}` };
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

/**
 * The rows of an edited export's old output whose text the export still holds, the last of each text and cut (the
 * store keeps the last answer put under a key, as putting every row in file order did), in the order of those last rows.
 */
class WantedRows {
  readonly #only: TextSet;
  readonly #rows = new Map<string, WrittenAnswer>();

  constructor(only: TextSet) {
    this.#only = only;
  }

  get size(): number {
    return this.#rows.size;
  }

  add(row: WrittenAnswer): void {
    if (!this.#only.has(row.text)) return;
    const key = `${row.truncated ? 'cut' : 'whole'}\n${row.text}`;
    this.#rows.delete(key);
    this.#rows.set(key, row);
  }

  rows(): Iterable<WrittenAnswer> {
    return this.#rows.values();
  }
}
