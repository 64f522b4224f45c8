import { errorMessage } from '../errors.js';
import type { SettingWords } from '../config/setting-names.js';
import { CacheError } from './cache-open.js';

/**
 * A result cache damaged inside its data file: pages overwritten (by hand, a bad disk, a copy over a live cache).
 * LMDB says so when a read reaches such a page: MDB_CORRUPTED ("Located page was wrong type"), MDB_PAGE_NOTFOUND
 * or MDB_INVALID. A look-up that met it mid-run was an internal error, exit 1 with lmdb's stack trace, and an open
 * that met it advised a local disk (operator5, 2026-12-05: ten pages zeroed with dd under a run, and before one).
 * Damage LMDB does not notice (a value's bytes changed in place) stays undetected (docs/cost.md).
 */
const DAMAGE = /\bMDB_(CORRUPTED|PAGE_NOTFOUND|INVALID)\b/;

/** Whether LMDB's `error` says the store's file is damaged. */
export function isDamage(error: unknown): boolean {
  return DAMAGE.test(errorMessage(error));
}

/** "The result cache in DIR is damaged (LMDB's words)": the head of both lines below. */
function damagedHead(dir: string, error: unknown): string {
  return `The result cache in ${dir} is damaged (${errorMessage(error)})`;
}

/** What clears it, naming the setting as the user gave it. */
function wayOut(named: SettingWords): string {
  return `delete that folder (or point ${named.setting} at a new one) to start a fresh cache`;
}

/** The refusal of a damaged cache where no run goes on without it (its open; a look-up outside a run). */
export function damagedCacheError(dir: string, error: unknown, named: SettingWords): CacheError {
  return new CacheError(`${damagedHead(dir, error)}, so it is not a result cache this tool can use: ${wayOut(named)}, then run the same command again`, { cause: error });
}

/**
 * What becomes of the rows of `modelId` (the model the look-up asked for) that the cache does not answer: sent to
 * Workers AI, or scored again on this machine (`--backend local`, whose key begins `local:`), as the start-over lines
 * word it (job/paid-answers-kept.ts spared). The local model's run said "their texts are sent again", and sent none.
 */
function answeredAgain(modelId: string): 'sent' | 'scored' {
  return /^(local|embedded):/.test(modelId) ? 'scored' : 'sent';
}

/**
 * The one warning of a run whose look-up met the damage: it goes on without the cache, whose answers can no longer
 * be trusted to be read (the rows are sent, or scored again, so the output is the same), as after a write the disk refused.
 */
export function damagedCacheWarning(dir: string, error: unknown, named: SettingWords, modelId: string): string {
  const rows = answeredAgain(modelId) === 'sent' ? 'its rows are sent' : 'its rows are scored again';
  return `${damagedHead(dir, error)}: this run goes on without it: nothing more is read from it or written to it (the output is the same; ${rows}); ${wayOut(named)}`;
}

/**
 * The one warning of a run whose look-ups met a value that is not an answer a model gives (cache-codec.ts): bytes of
 * a value changed on the disk, which LMDB does not notice. Such a value was served as a score (`positive` 5, NaN, a
 * label the scores contradict) and written to the output with exit 0.
 */
export function unusableAnswerWarning(dir: string, named: SettingWords, modelId: string): string {
  return `the result cache in ${dir} holds answers that are not ones a model gives (bytes changed on the disk?): they are not used, their texts are ${answeredAgain(modelId)} again and their new answers replace them; if it happens again, ${wayOut(named)}`;
}

/**
 * LMDB's MDB_BAD_TXN at open ("mdb_page_touch no parent": a write building on a tree whose pages were reused). It was
 * met when processes wrote one cache at once without the open lock (docs/cost.md, "Sharing"); this tool's processes on
 * one machine now take that lock, so it is what such a race left in the file (or a disk fault), or a writer that does
 * not take the lock (another machine's, through a network share). It got only "use a local disk (not a network
 * share)", which fits the second alone. Exit as any refusal at open.
 */
const BAD_TXN = /\bMDB_BAD_TXN\b/;

export function isBadTransaction(error: unknown): boolean {
  return BAD_TXN.test(errorMessage(error));
}

/** The refusal of a cache whose open met MDB_BAD_TXN: both causes, and what to do for each. */
export function badTransactionError(dir: string, error: unknown, named: SettingWords): CacheError {
  return new CacheError(
    `Cannot open the result cache in ${dir} (${errorMessage(error)}): its file is damaged (by a disk fault, or by processes that wrote it at once earlier), ` +
      "or a process that does not take this tool's lock is writing it now (one on another machine, through a network share). " +
      `If nothing else writes it, ${wayOut(named)}; else give this job a cache of its own on a local disk; then run the same command again`,
    { cause: error },
  );
}
