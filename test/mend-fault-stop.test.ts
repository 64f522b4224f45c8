import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Source } from '../src/job/source.js';
import { StopController } from '../src/job/stop.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import { emptyTotals } from '../src/state/totals.js';
import { halfFailedJob, mendOptionsFor, SCORED, useHalfFailedJobs } from './support/half-failed-job.js';
import { slowRemoteRows } from './support/slow-remote.js';

/**
 * A fault that ends a mend (a full disk under the mended copy, an input that can no longer be read) is thrown with
 * up to readAhead rows queued behind the limiter. They went on sending while the process ended: the service counted
 * 368 requests where the fault's summary said 357. Here the fault is an input read that fails part-way.
 */
const ROWS = 80;

describe('a mend a fault ends', () => {
  const jobs = useHalfFailedJobs();

  // The output was opened before the copy was made, outside the try that closes it: a copy refused (its path a folder,
  // a full disk) left the output's descriptor open until garbage collection, which Node warns of on standard error
  // ("Closing file descriptor N on garbage collection", a deprecation that becomes an error).
  it('whose copy cannot be made leaves no file open', async () => {
    mkdirSync(path.join(jobs.dir(), 'no-copy'));
    const job = await halfFailedJob(path.join(jobs.dir(), 'no-copy'), 10);
    try {
      mkdirSync(`${job.output}.partial`);
      const open = () => readdirSync('/proc/self/fd').length;
      const before = open();
      const error = await mendCompletedJob(mendOptionsFor(job, { scorerFor: () => () => SCORED, window: 4 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(open()).toBe(before);
    } finally {
      await job.source.release();
    }
  });

  it('sends nothing after the fault, and has the requests in flight answered before it is thrown', async () => {
    // The completed output: every other row failed transiently, and listed.
    const job = await jobs.job(ROWS);
    const { source } = job;

    // The mend's read of the input (after the list's check read it whole) fails at its 70th record, with rows queued and requests in flight.
    let reads = 0;
    const unreadable: Source = {
      ...source,
      records: (from, index) => {
        reads += 1;
        const records = source.records(from, index);
        if (reads === 1) return records;
        return (async function* () {
          let count = 0;
          for await (const record of records) {
            if (++count === 70) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
            yield record;
          }
        })();
      },
    };
    const stop = new StopController();
    const runTotals = emptyTotals();
    const { rows: rowScorer, limiter, counts } = slowRemoteRows(stop, runTotals);
    try {
      const mend = mendCompletedJob(
        mendOptionsFor(job, { source: unreadable, runTotals, scorerFor: () => (text, index) => rowScorer.score(text, index), window: 32, stop }),
      );
      await expect(mend).rejects.toThrow(/EIO/);
      // Every request sent by then was answered, and is in the figures the fault's summary reports.
      const atFault = counts.sent;
      expect(atFault).toBeGreaterThan(0);
      expect(counts.answered).toBe(atFault);
      expect(runTotals.requests).toBe(atFault);
      // The rows queued behind the limiter send nothing more (they did, as long as the process lived).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(counts.sent).toBe(atFault);
      expect(stop.requested).toBe(true);
    } finally {
      await limiter.stop();
    }
  });
});
