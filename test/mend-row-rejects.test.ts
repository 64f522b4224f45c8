import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SentimentBatchError } from '../src/errors.js';
import { StopController } from '../src/job/stop.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import { mendOptionsFor, SCORED, useHalfFailedJobs } from './support/half-failed-job.js';

const ROWS = 20;

/**
 * The row scorer turns every failure of a row into an outcome; a rejection left is a bug. The pipeline stops the run on
 * it as on a fatal error (pipeline.test.ts); the mend queued the row's promise with no handler and awaited it only in
 * its turn, so one that rejected while an earlier row was still awaited was an unhandled rejection: Node's stack trace,
 * exit 1, no summary nor --summary-json.
 */
describe('a mend whose row scorer rejects (a bug)', () => {
  const jobs = useHalfFailedJobs();

  it('stops as a fatal internal error, the output as it was, never an unhandled rejection', async () => {
    const job = await jobs.job(ROWS);
    const { output, rows } = job;
    const before = readFileSync(output);
    const [first, second] = rows;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stop = new StopController();
      const result = await mendCompletedJob(
        mendOptionsFor(job, {
          // The first listed row answers after a while (a request in flight); the second rejects at once, while the
          // mend waits for the first.
          scorerFor: () => async (_text, index) => {
            if (index === second?.index) throw new Error('a bug');
            if (index === first?.index) await new Promise((resolve) => setTimeout(resolve, 200));
            return SCORED;
          },
          stop,
        }),
      ).catch((error: unknown) => error);
      // Time for a rejection nothing handled to be reported.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      expect(result).toEqual({ kind: 'stopped', rows: rows.length });
      expect(stop.reason?.kind).toBe('fatal');
      const error = (stop.reason as { error: SentimentBatchError }).error;
      expect(error.code).toBe('internal');
      expect(error.message).toBe('unexpected error while scoring: Error: a bug');
      expect(readFileSync(output).equals(before)).toBe(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
