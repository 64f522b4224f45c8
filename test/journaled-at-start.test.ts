import { describe, expect, it } from 'vitest';
import type { AnswerJournal } from '../src/journal/answer-journal.js';
import type { JournalRead } from '../src/journal/journal-lines.js';
import { JournaledAnswers, journaledAtStart } from '../src/job/answers-journaled.js';
import type { Checkpoint } from '../src/state/checkpoint.js';

/**
 * Whether a run starts with every answer of its partial output in its journal (job/answers-journaled.ts): a resume that
 * says yes skips reading the partial output for old answers. Each condition of the rule asked alone, with the journal's
 * read counted: the end-to-end files (journaled-answers-resume.test.ts) cover the common cases through whole runs, and
 * a mutation that dropped the other-limit case, the negative count or the check of the checkpoint's id passed them all
 * (testgap11). A wrong yes pays nothing less: it skips a read that would have found answers, so the rows pay again.
 */
describe('journaledAtStart', () => {
  const checkpoint = (fields: Partial<Checkpoint>): Checkpoint => ({ answersJournaled: true, journaledAnswers: 3, journalId: 'abc', ...fields }) as Checkpoint;
  const journal = (read: Partial<JournalRead>): { reads: () => number; readJournal: () => JournalRead } => {
    let reads = 0;
    return { reads: () => reads, readJournal: () => ((reads += 1), { entries: new Map(), lines: 3, id: 'abc', ...read }) };
  };
  const start = (decision: Parameters<typeof journaledAtStart>[0], read: Partial<JournalRead> = {}, run: { cache?: boolean; keptStore?: boolean } = {}) => {
    const found = journal(read);
    const whole = journaledAtStart(decision, { cache: run.cache ?? false, keptStore: run.keptStore ?? false, readJournal: found.readJournal }).journaled.whole;
    return { whole, reads: found.reads() };
  };

  it('a fresh start: whole, unless --cache or a kept store answers rows from outside the journal', () => {
    expect(start({ kind: 'fresh' })).toEqual({ whole: true, reads: 0 });
    expect(start({ kind: 'fresh' }, {}, { cache: true })).toEqual({ whole: false, reads: 0 });
    expect(start({ kind: 'fresh' }, {}, { keptStore: true })).toEqual({ whole: false, reads: 0 });
  });

  it('a plain resume: whole when its journal has the same id and at least the lines recorded', () => {
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) })).toEqual({ whole: true, reads: 1 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, { lines: 4 })).toEqual({ whole: true, reads: 1 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}), sameBytes: true })).toEqual({ whole: true, reads: 1 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, { lines: 2 })).toEqual({ whole: false, reads: 1 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, { id: 'another' })).toEqual({ whole: false, reads: 1 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, { id: undefined })).toEqual({ whole: false, reads: 1 });
  });

  it('a grown export, another --limit, --cache or a kept store: not whole, the journal not read', () => {
    expect(start({ kind: 'resume', checkpoint: checkpoint({}), grown: true })).toEqual({ whole: false, reads: 0 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}), relimited: 'old-hash' })).toEqual({ whole: false, reads: 0 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, {}, { cache: true })).toEqual({ whole: false, reads: 0 });
    expect(start({ kind: 'resume', checkpoint: checkpoint({}) }, {}, { keptStore: true })).toEqual({ whole: false, reads: 0 });
  });

  it("a checkpoint that does not say yes, counts no lines as a count, or names no journal: not whole, the journal not read", () => {
    for (const fields of [
      { answersJournaled: false },
      { answersJournaled: undefined },
      { journaledAnswers: undefined },
      { journaledAnswers: -1 },
      { journaledAnswers: 1.5 },
      { journalId: undefined },
    ]) {
      // An older journal with no id either, and lines enough: the missing id alone says no.
      expect([fields, start({ kind: 'resume', checkpoint: checkpoint(fields) }, { id: undefined, lines: 10 })]).toEqual([fields, { whole: false, reads: 0 }]);
    }
  });
});

describe('JournaledAnswers', () => {
  const journalSaying = (whole: boolean): AnswerJournal => ({ lineState: () => ({ whole, lines: 2, id: 'abc' }) }) as unknown as AnswerJournal;

  it('a run with no journal open yet: whole with no line; a run without one: not, for good', () => {
    expect(new JournaledAnswers(true).fields()).toEqual({ answersJournaled: true, journaledAnswers: 0 });
    const without = new JournaledAnswers(true);
    without.attach(undefined);
    expect(without.fields()).toEqual({ answersJournaled: false, journaledAnswers: 0 });
  });

  it('a journal that lost a line says no, and no stays no for the run', () => {
    const answers = new JournaledAnswers(true);
    let whole = true;
    answers.attach({ lineState: () => ({ whole, lines: 2, id: 'abc' }) } as unknown as AnswerJournal);
    expect(answers.fields()).toEqual({ answersJournaled: true, journaledAnswers: 2, journalId: 'abc' });
    whole = false;
    expect(answers.fields()).toEqual({ answersJournaled: false, journaledAnswers: 2, journalId: 'abc' });
    whole = true;
    expect(answers.fields()).toEqual({ answersJournaled: false, journaledAnswers: 2, journalId: 'abc' });
    expect(answers.whole).toBe(false);
    const lost = new JournaledAnswers(true);
    lost.attach(journalSaying(true));
    lost.lose();
    expect(lost.fields().answersJournaled).toBe(false);
  });
});
