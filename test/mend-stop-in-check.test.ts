import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import type { Outcome } from '../src/io/record.js';
import { openSource, type Source } from '../src/job/source.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { failedRowsPathFor, writeFailedRows, type FailedRow } from '../src/mend/failed-rows.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { joinedRow } from '../src/io/row-text.js';

/**
 * A rerun that mends first checks its list against the input and the output, reading both from the first listed row
 * to the last: minutes for a large file. A SIGTERM meanwhile was acted on only once that read was through (and the
 * mend's own read of the same rows after it): the check now ends at the next record, nothing sent, nothing written,
 * the checkpoint not saved again. Counted in records read, not in seconds (the CLI's timing: e2e-mend-stop-in-check).
 */
const ROWS = 20_000;
/** The first and the last row failed: the check reads the whole input. */
const FAILED = [0, ROWS - 1];
const STOP_AT = 500;
const SCORED: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };
const FAILURE: Outcome = { kind: 'failed', failure: { code: 'http_500', message: 'Workers AI failed transiently (HTTP 500, code 3043) (gave up after 1 attempt)', transient: true } };

describe('a stop while a mend checks its list ends the check at once', () => {
  let dir: string;
  let cleanup: () => void;
  let source: Source;
  let output: string;
  let rows: FailedRow[];
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS, { emptyEvery: 0 }));
    output = path.join(dir, 'out.csv');
    source = await openSource({ ...DEFAULTS, input, output, text: ['review'] }, input);
    // The output as the pipeline writes it, each failed row listed with where it is in both files.
    const parts = [source.outputHeader];
    let bytes = Buffer.byteLength(source.outputHeader);
    let inputStart = source.firstRecordOffset;
    rows = [];
    for await (const record of source.records(source.firstRecordOffset, 0)) {
      const failed = FAILED.includes(record.index);
      const text = joinedRow(source.formatRecord(record, failed ? FAILURE : SCORED));
      if (failed) rows.push({ index: record.index, inputStart, inputEnd: record.byteEnd, outputStart: bytes, outputEnd: bytes + Buffer.byteLength(text), code: 'http_500' });
      parts.push(text);
      bytes += Buffer.byteLength(text);
      inputStart = record.byteEnd;
    }
    writeFileSync(output, parts.join(''));
    await writeFailedRows(failedRowsPathFor(output), rows, output);
  });
  afterAll(async () => {
    await source.release();
    cleanup();
  });

  /** The mend of the job above (its two failed rows listed), with the source, stop, scorer and checkpoint saver a test gives. */
  const mendListed = (given: Pick<Parameters<typeof mendCompletedJob>[0], 'source' | 'stop' | 'scorerFor' | 'saveCompleted'>) =>
    mendCompletedJob({
      ...given,
      outputPath: output,
      partialPath: `${output}.partial`,
      totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length },
      runTotals: emptyTotals(),
      window: 4,
      graceMs: 5000,
      limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' },
      listedFailures: FAILED.length,
      log: createLogger('silent'),
    });

  it('stopped: no row scored, nothing written or saved, the input read no further than the stop', async () => {
    const before = { output: readFileSync(output), list: readFileSync(failedRowsPathFor(output)) };
    const stop = new StopController();
    let read = 0;
    // The job's reader, counting the records it gives, asked to stop (as SIGTERM asks) at the STOP_AT-th.
    const counting: Source = {
      ...source,
      records: (offset, index) =>
        (async function* () {
          for await (const record of source.records(offset, index)) {
            read += 1;
            if (read === STOP_AT) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
            yield record;
          }
        })(),
    };
    let scored = 0;
    let saved = 0;
    const result = await mendListed({
      source: counting,
      stop,
      scorerFor: () => () => {
        scored += 1;
        return SCORED;
      },
      saveCompleted: async () => {
        saved += 1;
      },
    });
    expect(result).toEqual({ kind: 'stopped', rows: FAILED.length });
    // Before: the whole input was read by the check, then again by the mend, and both rows were mended.
    expect(read).toBeLessThanOrEqual(STOP_AT + 1);
    expect(scored).toBe(0);
    expect(saved).toBe(0);
    expect(readFileSync(output).equals(before.output)).toBe(true);
    expect(readFileSync(failedRowsPathFor(output)).equals(before.list)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('a stop once the check is through ends the mend before it reads on for the rows it would drop', async () => {
    const stop = new StopController();
    let reads = 0;
    let read = 0;
    const counting: Source = {
      ...source,
      records: (offset, index) => {
        reads += 1;
        const pass = reads;
        return (async function* () {
          for await (const record of source.records(offset, index)) {
            // The second pass is the mend's: stopped (a signal) at its first record.
            if (pass === 2) {
              read += 1;
              if (read === 1) stop.request({ kind: 'interrupt', signal: 'SIGTERM' });
            }
            yield record;
          }
        })();
      },
    };
    const result = await mendListed({
      source: counting,
      stop,
      // Rows not yet sent when a stop comes are abandoned, as the row scorer does.
      scorerFor: () => () => (stop.requested ? { kind: 'abandoned' } : SCORED),
      saveCompleted: async () => undefined,
    });
    expect(result).toEqual({ kind: 'stopped', rows: FAILED.length });
    expect(read).toBeLessThanOrEqual(2);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });
});
