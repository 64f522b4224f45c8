import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentimentBatchError } from '../src/errors.js';
import type { Source } from '../src/job/source.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { halfFailedJob, SCORED } from './support/half-failed-job.js';

const ROWS = 20;

/**
 * The row scorer turns every failure of a row into an outcome; a rejection left is a bug. The pipeline stops the run on
 * it as on a fatal error (pipeline.test.ts); the mend queued the row's promise with no handler and awaited it only in
 * its turn, so one that rejected while an earlier row was still awaited was an unhandled rejection: Node's stack trace,
 * exit 1, no summary nor --summary-json.
 */
describe('a mend whose row scorer rejects (a bug)', () => {
  let dir: string;
  let cleanup: () => void;
  let source: Source;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(async () => {
    await source?.release();
    cleanup();
  });

  it('stops as a fatal internal error, the output as it was, never an unhandled rejection', async () => {
    const job = await halfFailedJob(dir, ROWS);
    ({ source } = job);
    const { output, rows } = job;
    const before = readFileSync(output);
    const [first, second] = rows;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stop = new StopController();
      const result = await mendCompletedJob({
        outputPath: output,
        partialPath: `${output}.partial`,
        source,
        totals: { ...emptyTotals(), read: ROWS, scored: ROWS - rows.length, failed: rows.length },
        runTotals: emptyTotals(),
        // The first listed row answers after a while (a request in flight); the second rejects at once, while the
        // mend waits for the first.
        scorerFor: () => async (_text, index) => {
          if (index === second?.index) throw new Error('a bug');
          if (index === first?.index) await new Promise((resolve) => setTimeout(resolve, 200));
          return SCORED;
        },
        window: 8,
        stop,
        graceMs: 5000,
        limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' },
        listedFailures: rows.length,
        saveCompleted: async () => undefined,
        log: createLogger('silent'),
      }).catch((error: unknown) => error);
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
