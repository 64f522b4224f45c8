import { describe, expect, it } from 'vitest';
import { secondSignalLine } from '../src/job/signal-line.js';
import { StopController } from '../src/job/stop.js';

/**
 * The closing line of a second signal (process/signals.ts): once the job is under way it says the requests in flight
 * are abandoned and sent again by the next run (paid twice on Workers AI), as --summary-json says; before, nothing is
 * in flight and the line stays plain. test/e2e-closing-line-json.test.ts runs the paid one through the CLI.
 */
describe('the line of a second signal', () => {
  const under = (fields: Partial<StopController>) => Object.assign(new StopController(), { settingUp: false, ...fields });

  it('says the requests in flight are abandoned, paid twice only for a paid service', () => {
    expect(secondSignalLine(under({ paidRequests: true }), 'SIGTERM')).toBe('second SIGTERM, exiting now: the requests in flight are abandoned, and the next run sends them again (paid twice)');
    expect(secondSignalLine(under({}), 'SIGINT')).toBe('second SIGINT, exiting now: the requests in flight are abandoned, and the next run sends them again');
  });

  it('is plain before the work begins, with nothing in flight', () => {
    expect(secondSignalLine(Object.assign(new StopController(), { paidRequests: true }), 'SIGTERM')).toBe('second SIGTERM, exiting now');
    for (const fields of [{ waitingForLock: true }, { waitingInSetup: true }, { checkingCompleted: true }, { sealing: true }]) {
      expect(secondSignalLine(under({ paidRequests: true, ...fields }), 'SIGTERM')).toBe('second SIGTERM, exiting now');
    }
  });
});
