import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Source } from '../src/job/source.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import { emptyTotals, type Totals } from '../src/state/totals.js';
import { mendOptionsFor, SCORED, useHalfFailedJobs } from './support/half-failed-job.js';

const ROWS = 40;

/**
 * A mend wrote the checkpoint only as it ended: killed with kill -9 (8 s into a mend of 893 rows against `serve`), it
 * had saved none of the 125 requests it had sent, and the next run's figures for the whole job missed them (requests
 * 3,770 for 3,000 + 125 + 770 sent). It now saves the requests it has sent every --checkpoint-interval while it scores.
 */
describe('a mend saves the requests it sends while it scores', () => {
  const jobs = useHalfFailedJobs();

  it('before its copy is complete, the checkpoint holds the requests sent so far, and the rows as they were', async () => {
    // The completed output: every other row failed transiently, and listed.
    const job = await jobs.job(ROWS);
    const { output, rows, source } = job;

    const before: Totals = { ...emptyTotals(), read: ROWS, scored: ROWS - rows.length, failed: rows.length, requests: 100 };
    const totals = { ...before };
    const runTotals = emptyTotals();
    // Every request is counted as sent at once; no answer comes until a checkpoint holding the requests was saved (a
    // fallback lets the mend end without one, for the assertions to say what went wrong).
    let answer!: () => void;
    const answers = new Promise<void>((resolve) => (answer = resolve));
    const fallback = setTimeout(answer, 20_000);
    const saved: Array<{ totals: Totals; ending: boolean }> = [];
    // The mend's read reaches its first row 60 ms late, past a few saves (every 20 ms): as on a loaded machine, where the
    // first save came before any request was sent and the test, which took that save for the one to look at, failed.
    const slowStart: Source = {
      ...source,
      records: (from, index) =>
        (async function* () {
          await new Promise((resolve) => setTimeout(resolve, 60));
          yield* source.records(from, index);
        })(),
    };
    const result = await mendCompletedJob(
      mendOptionsFor(job, {
        source: slowStart,
        totals,
        runTotals,
        scorerFor: () => async () => {
          runTotals.requests += 1;
          await answers;
          return SCORED;
        },
        checkpointIntervalMs: 20,
        saveCompleted: async (replaced, mending) => {
          saved.push({ totals: { ...totals }, ending: replaced !== undefined || mending !== undefined });
          if (totals.requests > before.requests) answer();
        },
      }),
    );
    clearTimeout(fallback);
    expect(result).toMatchObject({ kind: 'mended', mended: rows.length });
    // Saved while it scored: the requests sent by then (the rows in its window), the rows as the output still held them.
    // The saves before the first request was sent hold the totals as they were.
    const sending = saved.findIndex((save) => save.totals.requests > before.requests);
    expect(sending).toBeGreaterThan(0); // saves came before the first request (the slow start)
    for (const early of saved.slice(0, sending)) expect(early).toEqual({ totals: before, ending: false });
    const first = saved[sending];
    expect(first?.ending).toBe(false);
    const { requests, ...rowsThen } = first?.totals ?? emptyTotals();
    const { requests: _before, ...rowsBefore } = before;
    expect(rowsThen).toEqual(rowsBefore);
    expect(requests).toBeGreaterThan(before.requests);
    expect(requests).toBeLessThanOrEqual(before.requests + 8);
    // As it ended: every request once, with the rows mended.
    expect(totals).toEqual({ ...before, scored: ROWS, failed: 0, requests: before.requests + rows.length });
    expect(readFileSync(output, 'utf8')).not.toContain('http_500');
  });
});
