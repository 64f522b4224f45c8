import { readTextNoFollow } from '../state/no-follow.js';
import type { JournalAnswer } from './answer-journal.js';
import { decodeEntry, headerId, headerMatches, type JournalKey } from './journal-format.js';

/** An answer the journal keeps for one text (answer-journal.ts). */
export interface JournalEntry {
  /** The first row that asked for this text: the entry is needed until that row is written. */
  index: number;
  answer: JournalAnswer;
  /** Received by an earlier run: kept for this whole run (a later row may repeat the text). */
  replayed?: boolean;
  /** Its line could not be written (a full disk): known to this run only, the next one asks (and pays) again. */
  unkept?: boolean;
}

/**
 * The journal at `file` as one read gives it for `key`: its entries (the first line of a text), and how many texts it
 * holds entries for, each text once, as a run replays them (a checkpoint's count, `lineState`, counts the texts a run
 * appended each once too: one sent again after its entry was dropped adds a line, not a text). A resume compares the count (fewer than its checkpoint
 * recorded: lines were lost since, answers-journaled.ts) and replays the entries of the same read: the file was read
 * twice, once for each. Counted by line, one line removed and another duplicated by hand kept the count, and the
 * resume skipped the read that finds the removed answer (fuzz34).
 */
export interface JournalRead {
  entries: Map<string, JournalEntry>;
  lines: number;
  /** The id its header names (journal-format.ts headerId): undefined for none, or an older version's journal. */
  id?: string;
}

/** Reads the journal at `file`; one of another input or settings (another header), none, or no regular file we may read gives nothing. */
export function readJournal(file: string, key: JournalKey): JournalRead {
  const entries = new Map<string, JournalEntry>();
  const text = readTextNoFollow(file, { jobFile: true });
  if (text === undefined) return { entries, lines: 0 };
  const lines = text.split('\n');
  if (!headerMatches(lines[0], key)) return { entries, lines: 0 };
  // A kill in the middle of an append leaves a cut last line: it is skipped like any unreadable line.
  for (const line of lines.slice(1)) {
    const entry = decodeEntry(line);
    if (entry && !entries.has(entry.text)) entries.set(entry.text, { index: entry.index, answer: entry.answer, replayed: true });
  }
  return { entries, lines: entries.size, id: headerId(lines[0]) };
}
