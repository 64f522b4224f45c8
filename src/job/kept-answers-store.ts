import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { flagWords } from '../config/setting-names.js';
import { SentimentBatchError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Scores } from '../scoring/scorer.js';
import type { ResultCache } from '../state/cache.js';
import { openResultCache } from '../state/cache-loader.js';
import { refuseForeignOwner } from '../state/foreign-file.js';
import { storeLinkWords } from './answer-store-link.js';
import { emptyStoreFile, emptyStoreWords } from './empty-answer-store.js';
import { keptAnswersFault, keptAnswersReadFault, type FaultOf } from './kept-answers-fault.js';
import { storeModelOf } from './kept-answers-model.js';
import { spared } from './paid-answers-kept.js';
import { typedPath } from '../wording/typed-path.js';

// `<output>.answers` as a store: opened, read as a second layer after --cache's, removed (kept-answers.ts fills it).

/** How the store's own messages name it (the result cache's messages name --cache otherwise). */
const storeWords = (dir: string) => flagWords('the answer store', dir);

export const openStore = (dir: string): Promise<ResultCache | undefined> =>
  openResultCache(dir, { maxAgeDays: Infinity, maxEntries: Number.MAX_SAFE_INTEGER, named: storeWords(dir) });

/**
 * Why the store at `path` cannot be read as one (a symbolic link there, an empty data file), or undefined; `shown`
 * names a path as the lines do (after the output as the user gave it: wording/typed-path.ts).
 */
function unreadableStoreWords(path: string, shown: (file: string) => string = (file) => file): string | undefined {
  const link = storeLinkWords(path, shown(path));
  if (link !== undefined) return link;
  const empty = emptyStoreFile(path);
  return empty === undefined ? undefined : emptyStoreWords(shown(empty));
}

/** The store a job at this output inherited, read as a second layer after --cache's; removed by --restart. */
export class KeptAnswers {
  private constructor(private readonly store: ResultCache) {}

  /**
   * `modelKey`: the run's model, whose rows the store would have answered (the local model's are scored again, not
   * sent); `typedOutput`: the output as the user gave it, after which the warnings name the store (typed-path.ts).
   */
  static async open(path: string, restart: boolean, log: Logger, modelKey: string, typedOutput?: string): Promise<KeptAnswers | undefined> {
    if (restart) removeKeptAnswers(path);
    if (!existsSync(path)) return undefined;
    // Another user's folder at this name in a sticky folder (/tmp) is never read for answers (state/foreign-file.ts); a
    // symbolic link, whoever made it, is never followed (unreadableStoreWords says so).
    const stats = lstatSync(path);
    if (!stats.isSymbolicLink()) refuseForeignOwner(path, stats.uid, { folder: stats.isDirectory() });
    const again = `their texts are ${spared(modelKey).sent} again`;
    const shown = (file: string) => typedPath(file, typedOutput);
    const refusal = unreadableStoreWords(path, shown);
    if (refusal !== undefined) {
      log.warn(`the answers kept of a job started over in ${shown(path)} cannot be read (${refusal}): ${again}`);
      return undefined;
    }
    try {
      const store = await openStore(path);
      return store && new KeptAnswers(store);
    } catch (error) {
      // A full disk: the answers paid for are not given up for it (exit 74), as the import that kept them does not.
      const full = keptAnswersReadFault(error, shown(path), path);
      if (full !== undefined) throw full;
      // Otherwise only a saving is lost: the rows are sent.
      log.warn(`the answers kept of a job started over in ${shown(path)} cannot be read (${errorMessage(error)}): ${again}`);
      return undefined;
    }
  }

  #closed = false;

  /** Undefined once closed: a mend after the output completed (and the store was removed) sends what it needs. */
  get(modelKey: string, text: string): Scores | undefined {
    return this.#closed ? undefined : this.store.get(modelKey, text);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.store.close();
  }
}

/**
 * Removes the store: a folder only (a file or symlink someone put at that path is not this tool's to remove). A mount
 * point there (a volume mounted at <output>.answers) cannot be removed (EBUSY, before a file in it is touched): its
 * answers are, and the empty folder stays. Else --restart, or the replacement of another model's store, ended exit 74
 * on every run ('run the same command again'), and a completed job left the answers there.
 */
export function removeKeptAnswers(path: string): void {
  if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) return;
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBUSY') throw error;
    for (const name of readdirSync(path)) rmSync(join(path, name), { recursive: true, force: true });
  }
}

/** How many answers the store holds (0 when there is none), and the model it records them to be of. */
export async function keptBefore(storePath: string, completed: FaultOf = false): Promise<{ count: number; model: string | undefined }> {
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
