import { closeSync, openSync } from 'node:fs';
import type { AnswerJournal } from '../../src/journal/answer-journal.js';

/**
 * Gives `journal` a read-only descriptor of its own file, which takes neither writes nor truncation: it stands for a
 * disk that takes no more (and, for a line cut short, one on which the cut cannot be removed). Returns what gives the
 * journal its own descriptor back (room again).
 */
export function refuseJournalWrites(journal: AnswerJournal, file: string): () => void {
  const internals = journal as unknown as { fd: number };
  const writable = internals.fd;
  internals.fd = openSync(file, 'r');
  return () => {
    closeSync(internals.fd);
    internals.fd = writable;
  };
}
