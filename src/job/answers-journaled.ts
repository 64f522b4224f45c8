import type { AnswerJournal } from '../journal/answer-journal.js';
import type { JournalRead } from '../journal/journal-lines.js';
import type { Checkpoint } from '../state/checkpoint.js';
import type { StartDecision } from './resume.js';

/*
 * A resumed Workers AI job reads its partial output once for the answers its remaining rows repeat
 * (old-output-answers.ts): the in-run dedupe forgot them with the run that paid. That read costs CPU with the output's
 * size (200,000 rows, 20.9 MB: 1.5 s of a 2.1 s resume, NOTES-lowfix68), and finds nothing the answer journal does not
 * already replay when every answer those rows carry came from a request this job journaled and the journal lost no line
 * since. Each paused checkpoint says whether that holds (`answersJournaled`) and how many entry lines the journal held
 * (`journaledAnswers`); a resume that finds at least those lines skips the read. Only a cost is at stake: a read skipped
 * wrongly pays again for a text, never writes a wrong answer. So any doubt says false, and false stays false for the job.
 */

/** Whether this run's rows take answers only from its journal's lines: carried into each paused checkpoint it writes. */
export class JournaledAnswers {
  #whole: boolean;
  #journal: AnswerJournal | undefined;

  constructor(whole: boolean) {
    this.#whole = whole;
  }

  /** Whether the partial output's answers are all in the journal as the run starts: a resume then skips the read. */
  get whole(): boolean {
    return this.#whole;
  }

  /** A row of this run may take an answer the journal lacks (old-output answers found by the read). */
  lose(): void {
    this.#whole = false;
  }

  /** The journal the run appends to, once open (a fresh run opens it after its first checkpoint, which has no row). */
  attach(journal: AnswerJournal | undefined): void {
    this.#journal = journal;
    if (journal === undefined) this.#whole = false;
  }

  /** The fields of a paused checkpoint (a completed one has none: its journal goes, or keeps only some lines). */
  fields(): Pick<Checkpoint, 'answersJournaled' | 'journaledAnswers' | 'journalId'> {
    const state = this.#journal?.lineState() ?? { whole: true, lines: 0, id: undefined };
    if (!state.whole) this.#whole = false;
    return { answersJournaled: this.#whole, journaledAnswers: state.lines, ...(state.id !== undefined ? { journalId: state.id } : {}) };
  }
}

/**
 * How a run that keeps a journal starts: whole on a fresh start without --cache or a kept store (<output>.answers),
 * whose answers are no lines of it; on a plain resume (not a grown export nor another --limit)
 * whose checkpoint says whole and whose journal still holds at least the lines it recorded (none removed by hand, cut or
 * replaced) under the id it recorded: another journal of the same input and settings (another job's, copied in) may hold
 * as many lines of other texts, and a count alone took it for this one. A checkpoint without the id (an older version's)
 * reads. Otherwise not, and every checkpoint of this run says so. `readJournal` reads the run's journal, only when its
 * lines are to be counted: that read is returned (`read`) for the pass's first open of the journal, which replays it.
 */
export function journaledAtStart(
  decision: Extract<StartDecision, { kind: 'fresh' | 'resume' }>,
  run: { cache: boolean; keptStore: boolean; readJournal: () => JournalRead },
): { journaled: JournaledAnswers; read?: JournalRead } {
  if (run.cache || run.keptStore) return { journaled: new JournaledAnswers(false) };
  if (decision.kind === 'fresh') return { journaled: new JournaledAnswers(true) };
  const { checkpoint } = decision;
  // A copy of the input (`sameBytes`: another file, the bytes read the same) keeps its journal, keyed by either file:
  // whole as in place. A grown export's partial output is a copy of its completed output, whose journal went.
  const plain = decision.grown === undefined && decision.relimited === undefined;
  const recorded = checkpoint.journaledAnswers;
  if (!plain || checkpoint.answersJournaled !== true || !Number.isSafeInteger(recorded) || (recorded as number) < 0 || typeof checkpoint.journalId !== 'string') return { journaled: new JournaledAnswers(false) };
  const read = run.readJournal();
  return { journaled: new JournaledAnswers(read.id === checkpoint.journalId && read.lines >= (recorded as number)), read };
}
