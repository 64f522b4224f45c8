import { describe, expect, it } from 'vitest';
import { secondSignalLine, secondSignalWords, signalLine } from '../src/job/signal-line.js';
import { StopController } from '../src/job/stop.js';

/**
 * The closing line of a second signal (process/signals.ts): once the job is under way it says the requests in flight
 * are abandoned and sent again by the next run (paid twice on Workers AI), as --summary-json says; before, nothing is
 * in flight and the line stays plain. test/e2e-closing-line-json.test.ts runs the paid one through the CLI.
 */
describe('the line of a second signal', () => {
  const under = (fields: Partial<StopController>) => Object.assign(new StopController(), { settingUp: false, ...fields });

  it('says the requests in flight are abandoned, paid twice, for a paid service; the rows being scored for an offline model', () => {
    expect(secondSignalLine(under({ paidRequests: true }), 'SIGTERM')).toBe('second SIGTERM, exiting now: the requests in flight are abandoned, and the next run sends them again (paid twice)');
    expect(secondSignalLine(under({}), 'SIGINT')).toBe('second SIGINT, exiting now: the rows being scored are abandoned, and the next run scores them again');
  });

  // The embedded demo, run with no account and no network, said "stopping: finishing requests in flight" at a Ctrl-C.
  it('the first signal of an offline model\'s run speaks of the rows being scored, not of requests', () => {
    expect(signalLine(under({ paidRequests: true }), true)).toBe('stopping: finishing requests in flight, then saving the checkpoint');
    expect(signalLine(under({}), true)).toBe('stopping: finishing the rows being scored, then saving the checkpoint');
    expect(signalLine(under({}), false)).toBe('stopping: finishing the rows being scored (standard input or output: no checkpoint is kept)');
    expect(secondSignalWords(under({}), 'SIGINT')).toBe('second SIGINT: exited at once, without waiting for the rows being scored; the last checkpoint is kept');
    expect(secondSignalWords(under({ paidRequests: true }), 'SIGINT')).toBe('second SIGINT: exited at once, without waiting for the requests in flight; the last checkpoint is kept');
  });

  it('is plain before the work begins, with nothing in flight', () => {
    expect(secondSignalLine(Object.assign(new StopController(), { paidRequests: true }), 'SIGTERM')).toBe('second SIGTERM, exiting now');
    for (const fields of [{ waitingForLock: true }, { waitingInSetup: true }, { checkingCompleted: true }, { sealing: true }, { copyingGrown: true }]) {
      expect(secondSignalLine(under({ paidRequests: true, ...fields }), 'SIGTERM')).toBe('second SIGTERM, exiting now');
    }
  });

  // The copy that makes a grown export's completed job a paused one (grown-input.ts pauseGrownJob): nothing is in flight.
  it('says what a stop during the copy of a grown job\'s output does, and what a second signal there leaves', () => {
    const copying = under({ paidRequests: true, copyingGrown: true });
    expect(signalLine(copying, true, '/data/out.csv')).toBe(
      "stopping once the completed job's output is copied to /data/out.csv.partial and the job made a paused one (one copy and fsync, not cut short): nothing has been sent, /data/out.csv stays as it is, and the next run continues the job",
    );
    expect(secondSignalWords(copying, 'SIGTERM')).toBe(
      "second SIGTERM: exited at once, while the completed job's output was copied to continue it: nothing was sent, its output stays as it is, and the next run continues the job",
    );
  });
});
