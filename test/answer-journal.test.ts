import { appendFileSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerJournal } from '../src/journal/answer-journal.js';
import { journalAnswers } from '../src/job/dropped-job-rows.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { createLogger } from '../src/log.js';
import { tempDir } from './support/cli.js';
import { refuseJournalWrites } from './support/read-only-journal.js';

const key = { settingsHash: 'abc123', identity: { size: 10, mtimeMs: 1, headHash: 'h', tailHash: 't' } };
const log = createLogger('silent');
const scores = (positive: number) => ({ kind: 'scored' as const, scores: { label: positive >= 0.5 ? ('POSITIVE' as const) : ('NEGATIVE' as const), positive, negative: 1 - positive } });

describe('AnswerJournal', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    file = path.join(dir, 'out.csv.journal');
  });
  afterEach(() => cleanup());
  const ahead = () => true;

  it('replays what an earlier run recorded, even after a cut last line', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 3, scores(0.9));
    first.record('bad film', 4, { kind: 'failed', failure: { code: 'bad_input', message: 'refused' } });
    // What kill -9 in the middle of an append leaves.
    appendFileSync(file, '{"i":5,"t":"half');
    const second = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(second.keptFor('good film')?.answer).toEqual(scores(0.9));
    expect(second.keptFor('bad film')?.answer).toEqual({ kind: 'failed', failure: { code: 'bad_input', message: 'refused' } });
    expect(second.keptFor('half')?.answer).toBeUndefined();
    second.close();
    first.close();
  });

  // A completed job's mend paused, continued from the input gzipped in place (or any copy of the same bytes), paused
  // again: its journal was rewritten under that file while the checkpoint kept naming the first (record-found-input.ts
  // leaves it while a journal is there). The next run from a third file (gunzipped back), and the import of a new
  // export's start-over (journalAnswers), matched neither: 30 answers paid again (84 requests where 54 were owed).
  it('keeps answering to the identity the checkpoint names after a run from a copy rewrote it', () => {
    const recorded = key.identity;
    const copy = { ...recorded, mtimeMs: 2 };
    const third = { ...recorded, mtimeMs: 3 };
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 3, scores(0.9));
    first.close();
    const fromCopy = AnswerJournal.open(file, { ...key, identity: copy, earlier: recorded }, { replay: true, log, ahead });
    expect(fromCopy.keptFor('good film')?.answer).toEqual(scores(0.9));
    fromCopy.record('bad film', 4, scores(0.1));
    fromCopy.close();
    const fromThird = AnswerJournal.open(file, { ...key, identity: third, earlier: recorded }, { replay: true, log, ahead });
    expect(fromThird.keptFor('good film')?.answer).toEqual(scores(0.9));
    expect(fromThird.keptFor('bad film')?.answer).toEqual(scores(0.1));
    fromThird.close();
    // What a new export's start-over imports of the completed job (dropped-job-rows.ts), by the checkpoint's identity.
    const checkpoint = { settingsHash: key.settingsHash, input: { identity: recorded } } as unknown as Checkpoint;
    expect(journalAnswers(file, checkpoint).map(([text]) => text).sort()).toEqual(['bad film', 'good film']);
  });

  // A paused job continued under another --limit rewrites its journal under the new settings hash before its checkpoint
  // is (run-pass.ts): killed between the two, the checkpoint kept the old hash, and a third --limit matched neither. The
  // answers a killed run 1 had journaled were paid for again (review60's suspicion, reproduced against serve with
  // kill-at-rename.mjs before the checkpoint's rename: 235 requests for the 235 rows left, where 211 went without run 2).
  it('keeps answering to the settings hash the checkpoint names after a run under another record limit rewrote it', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 3, scores(0.9));
    first.close();
    const relimited = AnswerJournal.open(file, { ...key, settingsHash: 'limit-b', earlierSettingsHash: key.settingsHash }, { replay: true, log, ahead });
    expect(relimited.keptFor('good film')?.answer).toEqual(scores(0.9));
    relimited.close();
    const third = AnswerJournal.open(file, { ...key, settingsHash: 'limit-c', earlierSettingsHash: key.settingsHash }, { replay: true, log, ahead });
    expect(third.keptFor('good film')?.answer).toEqual(scores(0.9));
    third.close();
    // Nor is it lost to the import of a start-over, keyed by the checkpoint's hash (dropped-job-rows.ts).
    const checkpoint = { settingsHash: key.settingsHash, input: { identity: key.identity } } as unknown as Checkpoint;
    expect(journalAnswers(file, checkpoint).map(([text]) => text)).toEqual(['good film']);
    // Settings that are not the job's still match nothing.
    const other = AnswerJournal.open(file, { ...key, settingsHash: 'other' }, { replay: true, log, ahead });
    expect(other.keptFor('good film')).toBeUndefined();
    other.close();
  });

  it('skips a line that is JSON but no object (null, a number, a list), as any line not its own (was: null a TypeError, exit 1)', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 1, scores(0.9));
    first.close();
    appendFileSync(file, 'null\n5\n[1]\n"x"\n');
    const second = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(second.keptFor('good film')?.answer).toEqual(scores(0.9));
    second.close();
  });

  it('never replays scores no model gives (a line edited by hand or damaged): its row is sent again', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 1, scores(0.9));
    first.record('tie', 2, scores(0.5));
    first.close();
    const line = (i: number, t: string, s: unknown[]) => `${JSON.stringify({ i, t, s })}\n`;
    appendFileSync(file, line(3, 'out of range', ['POSITIVE', 5, -4]));
    appendFileSync(file, line(4, 'label swapped', ['NEGATIVE', 0.9, 0.1]));
    appendFileSync(file, line(5, 'sum not one', ['POSITIVE', 0.9, 0.9]));
    appendFileSync(file, line(6, 'a string', ['POSITIVE', '0.9', 0.1]));
    appendFileSync(file, line(7, 'negative zero', ['NEGATIVE', 0, 1]));
    const second = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(second.keptFor('good film')?.answer).toEqual(scores(0.9));
    expect(second.keptFor('tie')?.answer).toEqual(scores(0.5));
    expect(second.keptFor('negative zero')?.answer).toEqual(scores(0));
    for (const text of ['out of range', 'label swapped', 'sum not one', 'a string']) expect(second.keptFor(text)).toBeUndefined();
    second.close();
  });

  it('replays only refusals for the text, as it records only those: a failure line edited by hand sends its row again', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('too long', 1, { kind: 'failed', failure: { code: 'too_large', message: 'The text is too large for Workers AI' } });
    first.record('refused', 2, { kind: 'failed', failure: { code: 'bad_input', message: 'refused' } });
    first.close();
    const line = (i: number, t: string, f: unknown) => `${JSON.stringify({ i, t, f })}\n`;
    // A transient code was written as the row's answer, never listed as failed transiently, so never mended (exit 0).
    appendFileSync(file, line(3, 'server error', { code: 'http_500', message: 'boom' }));
    appendFileSync(file, line(4, 'unknown code', { code: 'cf_9999', message: 'x' }));
    // A line break in the code or message broke the summary's lines and the CSV cell.
    appendFileSync(file, line(5, 'broken code', { code: 'bad\ninput', message: 'x' }));
    appendFileSync(file, line(6, 'broken message', { code: 'bad_input', message: 'two\nlines' }));
    const second = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(second.keptFor('too long')?.answer).toEqual({ kind: 'failed', failure: { code: 'too_large', message: 'The text is too large for Workers AI' } });
    expect(second.keptFor('refused')?.answer).toEqual({ kind: 'failed', failure: { code: 'bad_input', message: 'refused' } });
    for (const text of ['server error', 'unknown code', 'broken code', 'broken message']) expect(second.keptFor(text)).toBeUndefined();
    second.close();
  });

  it('never replays a journal of another input or other settings, nor after --restart', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    first.record('good film', 0, scores(0.9));
    first.close();
    const otherInput = AnswerJournal.open(file, { ...key, identity: { ...key.identity, mtimeMs: 2 } }, { replay: true, log, ahead });
    expect(otherInput.keptFor('good film')?.answer).toBeUndefined();
    otherInput.close();
    const again = AnswerJournal.open(file, key, { replay: true, log, ahead });
    // The other input's open replaced the file: nothing of the first is left.
    expect(again.keptFor('good film')?.answer).toBeUndefined();
    again.record('good film', 0, scores(0.9));
    again.close();
    const restarted = AnswerJournal.open(file, key, { replay: false, log, ahead });
    expect(restarted.keptFor('good film')?.answer).toBeUndefined();
    restarted.close();
  });

  // The output's folder removed under a run (`rm -rf`): the journal went with it. The summary said "every answer
  // received for rows not written is kept in the journal, not paid for again" (docaudit17).
  it('a file removed under the run keeps none of its answers: all are counted as not kept', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('good film', 3, scores(0.9));
    journal.record('bad film', 4, scores(0.1));
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([2, 0]);
    rmSync(dir, { recursive: true, force: true });
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([0, 2]);
    expect([journal.keptFrom(4), journal.unkeptFrom(4)]).toEqual([0, 1]);
    journal.close();
  });

  // A stopped run closes its journal before its summary counts what it kept (run-end.ts stoppedEnd): closed, the file
  // is still there for the next run, its answers kept.
  it('a file closed by the run keeps its answers: none counted as not kept', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('good film', 3, scores(0.9));
    journal.record('bad film', 4, scores(0.1));
    journal.close();
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([2, 0]);
  });

  it('an answer whose line the file refused (a full disk) is counted apart, as the next run will not find it', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('kept film', 3, scores(0.9));
    // A descriptor that takes no writes stands for a disk that takes no more.
    const roomAgain = refuseJournalWrites(journal, file);
    expect(() => journal.record('refused film', 4, scores(0.2))).toThrow();
    expect(() => journal.record('earlier refused film', 1, scores(0.2))).toThrow();
    // This run still answers a repeat of its text; the counts tell what the next run finds and what it pays for again.
    expect(journal.keptFor('refused film')?.answer).toEqual(scores(0.2));
    expect([journal.keptFrom(2), journal.unkeptFrom(2)]).toEqual([1, 1]);
    expect([journal.keptFrom(0), journal.unkeptFrom(0)]).toEqual([1, 2]);
    roomAgain();
    journal.close();
    const next = AnswerJournal.open(file, key, { replay: true, log, ahead });
    expect(next.keptFrom(0)).toBe(1);
    expect(next.keptFor('refused film')).toBeUndefined();
    next.close();
  });

  it('keeps only the rows ahead of the written output', () => {
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 5000; i++) journal.record(`text ${i}`, i, scores(0.7));
    const before = statSync(file).size;
    journal.written(4990);
    expect(statSync(file).size).toBeLessThan(before / 100);
    expect(journal.keptFor('text 4989')?.answer).toBeUndefined();
    expect(journal.keptFor('text 4995')?.answer).toEqual(scores(0.7));
    journal.remove();
    expect(() => statSync(file)).toThrow();
  });

  it('a run reopening it keeps every answer for the whole run, and counts those for rows it has still to write apart', () => {
    const first = AnswerJournal.open(file, key, { replay: true, log, ahead });
    for (let i = 0; i < 10; i++) first.record(`text ${i}`, i, scores(0.7));
    // Stopped between two checkpoints: rows 0-5 were written after the last `written`, so the file still holds them.
    first.close();
    const lines: string[] = [];
    const capture = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const second = AnswerJournal.open(file, key, { replay: true, log: capture, ahead: (index) => index >= 6 });
    const said = lines.filter((line) => line.includes('kept from the journal')).map((line) => JSON.parse(line) as { answers: number; forRowsAhead: number });
    expect(said.map(({ answers, forRowsAhead }) => ({ answers, forRowsAhead }))).toEqual([{ answers: 10, forRowsAhead: 4 }]);
    // Row 5 is written, but a later row may repeat its text: the duplicate store of the stopped run is gone.
    second.record('text 20', 20, scores(0.4));
    second.written(30);
    expect(second.keptFor('text 5')?.answer).toEqual(scores(0.7));
    expect(second.keptFor('text 6')?.answer).toEqual(scores(0.7));
    // What this run received is dropped once written, as before.
    expect(second.keptFor('text 20')?.answer).toBeUndefined();
    second.close();

    // Nothing kept: nothing said.
    lines.length = 0;
    AnswerJournal.open(file, key, { replay: false, log: capture, ahead }).close();
    expect(lines.filter((line) => line.includes('journal'))).toEqual([]);
  });

  it('does not write through a symlink planted at its path', () => {
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, file);
    const journal = AnswerJournal.open(file, key, { replay: true, log, ahead });
    journal.record('good film', 0, scores(0.9));
    journal.close();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
