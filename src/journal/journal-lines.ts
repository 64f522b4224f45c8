import { readTextNoFollow } from '../state/no-follow.js';
import { decodeEntry, headerMatches, type JournalKey } from './journal-format.js';

/**
 * How many entry lines the journal at `file` holds for `key`, a text repeated counted each time (as `whole` counts its
 * lines): fewer than a checkpoint recorded, lines were lost since (the file removed, rewritten or cut by hand).
 */
export function journaledLines(file: string, key: JournalKey): number {
  const text = readTextNoFollow(file, { jobFile: true });
  if (text === undefined) return 0;
  const lines = text.split('\n');
  if (!headerMatches(lines[0], key)) return 0;
  let count = 0;
  for (const line of lines.slice(1)) if (decodeEntry(line) !== undefined) count += 1;
  return count;
}
