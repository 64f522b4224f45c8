import { lstatSync } from 'node:fs';
import path from 'node:path';

/**
 * The data file of `<output>.answers` (kept-answers.ts) when it is empty (0 bytes). LMDB takes such a file for a new
 * store and initialises it, so the answers kept there were lost without a word (a store cut short is refused in one
 * line: state/cache-open.ts). The result cache lets an empty one pass as created and never written; this store is
 * created by an import whose first commit (the model it records) writes it, so empty it is damaged: a copy or a
 * restore that stopped, a disk that lost it. Undefined for anything else (no file there is a store not made yet).
 */
export function emptyStoreFile(dir: string): string | undefined {
  const file = path.join(dir, 'data.mdb');
  let stats;
  try {
    stats = lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // a file at the store's path (ENOTDIR), a folder refused: the store's open says what it is
  }
  return stats?.isFile() === true && stats.size === 0 ? file : undefined;
}

/** How the lines say it. */
export const emptyStoreWords = (file: string): string => `${file} is empty (0 bytes): it is damaged (a copy or a restore that stopped?)`;
