import { readTextNoFollow } from '../state/no-follow.js';
import { decodeEntry, headerMatches, type JournalKey } from './journal-format.js';

/**
 * How many texts the journal at `file` holds entries for under `key`, each text once, as a run replays them (the lines
 * a run appends are each a text of its own, so a checkpoint's count of lines is this count): fewer than a checkpoint
 * recorded, lines were lost since (the file removed, rewritten or cut by hand). Counted by line, one line removed and
 * another duplicated by hand kept the count, and the resume skipped the read that finds the removed answer.
 */
export function journaledLines(file: string, key: JournalKey): number {
  const text = readTextNoFollow(file, { jobFile: true });
  if (text === undefined) return 0;
  const lines = text.split('\n');
  if (!headerMatches(lines[0], key)) return 0;
  const texts = new Set<string>();
  for (const line of lines.slice(1)) {
    const entry = decodeEntry(line);
    if (entry !== undefined) texts.add(entry.text);
  }
  return texts.size;
}
