import { describe, expect, it } from 'vitest';
import { secondSignalWords, signalLine } from '../src/job/signal-line.js';
import { StopController } from '../src/job/stop.js';

/**
 * A signal while a dropped job's answers are put in <output>.answers (kept-answers.ts, a setup step): its lines said
 * "nothing has been sent or written", the store already partly written. They now say where the answers kept so far
 * are, and that the unfinished job's files are as they were (test/e2e-stop-in-import.test.ts runs the first one).
 */
describe('the lines of a signal while the answers of a dropped job are kept', () => {
  const stop = Object.assign(new StopController(), { waitingInSetup: true, keepingAnswersIn: '/data/out.csv.answers' });

  it('say the answers kept so far stay in the store for the next run', () => {
    expect(signalLine(stop, true, '/data/out.csv')).toBe(
      'stopping while the answers the unfinished job paid for are being kept: nothing has been sent, its partial output, checkpoint and journal are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run, which keeps the rest',
    );
    expect(secondSignalWords(stop, 'SIGINT')).toBe(
      'second SIGINT: exited at once, while the answers of the unfinished job were kept: nothing was sent, its files are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run',
    );
  });

  it('of a completed job (its output\'s answers kept, the settings changed) name its output, not a partial output', () => {
    // Before, a completed job's answers were never kept, so there was no such line to say.
    const completed = Object.assign(new StopController(), { waitingInSetup: true, keepingAnswersIn: '/data/out.csv.answers', keepingCompleted: true });
    expect(signalLine(completed, true, '/data/out.csv')).toBe(
      "stopping while the answers of the completed job's output are being kept: nothing has been sent, its output and checkpoint are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run, which keeps the rest",
    );
    expect(secondSignalWords(completed, 'SIGINT')).toBe(
      'second SIGINT: exited at once, while the answers of the completed job were kept: nothing was sent, its files are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run',
    );
  });

  it("of a completed job of another input, its journal's alone (no read of its output), say the journal's answers are kept", () => {
    // It said "the answers of the completed job's output are being kept": only those its journal holds are (lowfix36 Left 2).
    const journal = Object.assign(new StopController(), { waitingInSetup: true, keepingAnswersIn: '/data/out.csv.answers', keepingCompleted: true, keepingJournal: true });
    expect(signalLine(journal, true, '/data/out.csv')).toBe(
      "stopping while the answers in the completed job's journal are being kept: nothing has been sent, its output, checkpoint and journal are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run, which keeps the rest",
    );
    expect(secondSignalWords(journal, 'SIGINT')).toBe(
      "second SIGINT: exited at once, while the answers in the completed job's journal were kept: nothing was sent, its files are as they were, and the answers already kept in /data/out.csv.answers stay there for the next run",
    );
  });

  it('are as before once the import is over', () => {
    const after = Object.assign(new StopController(), { waitingInSetup: true });
    expect(signalLine(after, true)).toBe('stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save');
  });
});
