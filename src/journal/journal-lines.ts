import { readTextNoFollow } from '../state/no-follow.js';
import { decodeEntry, headerId, headerMatches, type JournalKey } from './journal-format.js';

/**
 * How many entry lines the journal at `file` holds for `key`, a text repeated counted each time (as `whole` counts its
 * lines): fewer than a checkpoint recorded, lines were lost since (the file removed, rewritten or cut by hand). `id`:
 * the one its header names (journal-format.ts headerId), undefined for none.
 */
export function journaledLines(file: string, key: JournalKey): { lines: number; id?: string } {
  const text = readTextNoFollow(file, { jobFile: true });
  if (text === undefined) return { lines: 0 };
  const lines = text.split('\n');
  if (!headerMatches(lines[0], key)) return { lines: 0 };
  let count = 0;
  for (const line of lines.slice(1)) if (decodeEntry(line) !== undefined) count += 1;
  return { lines: count, id: headerId(lines[0]) };
}
