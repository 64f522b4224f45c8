import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnswerJournal } from '../src/journal/answer-journal.js';
import { encodeEntry, encodeHeader } from '../src/journal/journal-format.js';
import { readJournal } from '../src/journal/journal-lines.js';
import { JournaledAnswers } from '../src/job/answers-journaled.js';
import { createLogger } from '../src/log.js';
import { useTempDir } from './support/e2e-dir.js';
import { refuseJournalWrites } from './support/read-only-journal.js';

const key = { settingsHash: 'abc123', identity: { size: 10, mtimeMs: 1, headHash: 'h', tailHash: 't' } };
const log = createLogger('silent');
const scores = { kind: 'scored' as const, scores: { label: 'POSITIVE' as const, positive: 0.9, negative: 0.1 } };

/**
 * Whether the journal still holds a line for every answer of the run (AnswerJournal.lineState), which each paused
 * checkpoint carries (answers-journaled.ts): a resume skips reading its partial output only while it does.
 */
describe("the journal's word that it holds every answer", () => {
  const files = useTempDir();
  let file = '';
  const open = () => AnswerJournal.open((file = files.path('out.csv.journal')), key, { replay: true, log, ahead: () => true });

  it('whole while every append is kept, its lines counted as the next run counts them', () => {
    const journal = open();
    for (let i = 0; i < 5; i += 1) journal.record(`text ${i}`, i, scores);
    journal.written(3);
    expect(journal.lineState()).toMatchObject({ whole: true, lines: 5 });
    // The header's id, kept by the next run's open (a rewrite) and named by each paused checkpoint.
    const read = readJournal(file, key);
    expect([read.lines, read.id]).toEqual([5, journal.lineState().id]);
    journal.close();
    const reopened = open();
    expect(reopened.lineState().id).toBe(readJournal(file, key).id);
    // The id the file had before the reopen: a run killed before its first checkpoint leaves the file to a checkpoint
    // that names that id (a new id at each open passed this file: testgap11).
    expect(reopened.lineState().id).toBe(read.id);
    reopened.close();
  });

  // A text whose entry was dropped once its row was written, sent again by a later row (the run's duplicate store no
  // longer holding it): a second line for the same text. The next run counts texts (journal-lines.ts), so the count
  // each paused checkpoint recorded was one more than the resume found, and it read the partial output for answers
  // the journal held all along (lowfix82: a cost only, nothing paid twice).
  it('a text appended again after its entry was dropped is counted once, as the next run counts it', () => {
    const journal = open();
    journal.record('text 0', 0, scores);
    journal.record('text 1', 1, scores);
    journal.written(1);
    journal.record('text 0', 5, scores);
    const read = readJournal(file, key);
    expect(journal.lineState()).toMatchObject({ whole: true, lines: read.lines });
    expect(read.lines).toBe(2);
    journal.close();
  });

  it('an append the disk refuses (an unkept answer): no longer whole, and the checkpoint fields say so for the rest of the run', () => {
    const journal = open();
    const journaled = new JournaledAnswers(true);
    journaled.attach(journal);
    journal.record('kept', 0, scores);
    const roomAgain = refuseJournalWrites(journal, file);
    expect(() => journal.record('unkept', 1, scores)).toThrow();
    roomAgain();
    expect(journal.lineState()).toMatchObject({ whole: false, lines: 1 });
    expect(journaled.fields()).toEqual({ answersJournaled: false, journaledAnswers: 1, journalId: journal.lineState().id });
    // Said for the rest of the run, whatever the journal says later.
    expect(journaled.whole).toBe(false);
    journal.close();
  });

  it('a compaction told before the checkpoint (compactsAt): no longer whole before the rewrite, which drops the lines', () => {
    const journal = open();
    for (let i = 0; i < 2_001; i += 1) journal.record(`text ${i}`, i, scores);
    expect(journal.compactsAt(2_000)).toBe(false);
    expect(journal.lineState().whole).toBe(true);
    expect(journal.compactsAt(2_001)).toBe(true);
    expect(journal.lineState()).toMatchObject({ whole: false, lines: 2_001 });
    journal.written(2_001);
    // The rewrite keeps the journal's id: the lines went, the count says so.
    const read = readJournal(file, key);
    expect([read.lines, read.id]).toEqual([0, journal.lineState().id]);
    expect(journal.lineState().whole).toBe(false);
    journal.close();
  });

  it('the file removed under the run: no longer whole, and the next run finds none of its lines', () => {
    const journal = open();
    journal.record('text', 0, scores);
    rmSync(file);
    expect(journal.lineState().whole).toBe(false);
    const read = readJournal(file, key);
    expect([read.lines, read.id]).toEqual([0, undefined]);
    journal.close();
  });

  it("answers replayed from an earlier run's lines are kept by a compaction: a resume's 2,001 of them compact nothing", () => {
    const first = open();
    for (let i = 0; i < 2_001; i += 1) first.record(`text ${i}`, i, scores);
    first.close();
    const second = open();
    // Every line is a replayed answer the rewrite would keep: nothing to drop, and the file stays whole.
    expect(second.compactsAt(2_001)).toBe(false);
    expect(second.lineState()).toMatchObject({ whole: true, lines: 2_001 });
    second.close();
  });

  it('a fresh run before its journal opens: whole with no line; a run without one: not', () => {
    expect(new JournaledAnswers(true).fields()).toEqual({ answersJournaled: true, journaledAnswers: 0 });
    const none = new JournaledAnswers(true);
    none.attach(undefined);
    expect(none.fields()).toEqual({ answersJournaled: false, journaledAnswers: 0 });
  });
});

// A text with two lines (appended twice by hand, or a journal of an older version): the first line is the one a run
// replays and counts, as the row that first asked for the text is the one its entry waits for. A mutation that let the
// later line replace it passed every journal file (testgap11).
describe('a text with two lines in the journal', () => {
  const files = useTempDir();

  it('replays the first line: its row and its answer, counted once', () => {
    const file = files.path('out.csv.journal');
    const other = { kind: 'scored' as const, scores: { label: 'NEGATIVE' as const, positive: 0.2, negative: 0.8 } };
    writeFileSync(file, encodeHeader(key, 'id1') + encodeEntry('same text', 1, scores) + encodeEntry('another', 2, scores) + encodeEntry('same text', 7, other));
    const read = readJournal(file, key);
    expect([read.lines, read.id, read.entries.get('same text')]).toEqual([2, 'id1', { index: 1, answer: scores, replayed: true }]);
  });
});
