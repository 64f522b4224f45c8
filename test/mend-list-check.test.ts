import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config/options.js';
import { SentimentBatchError } from '../src/errors.js';
import type { CsvEscape } from '../src/io/csv-dialect.js';
import type { Outcome } from '../src/io/record.js';
import { openSource, type Source } from '../src/job/source.js';
import { StopController } from '../src/job/stop.js';
import { createLogger } from '../src/log.js';
import { failedRowsPathFor, writeFailedRows, type FailedRow } from '../src/mend/failed-rows.js';
import { mendCompletedJob } from '../src/mend/mend-job.js';
import type { FailureCounts } from '../src/state/failure-counts.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { joinedRow } from '../src/io/row-text.js';

/**
 * The list of failed rows is sealed to the output, not checked line by line by
 * the seal: a mend must refuse a list whose ranges are not the rows the run
 * wrote (edited by hand, damaged) before it sends a request or changes a byte.
 * Outputs are built here as the pipeline writes them: the job's formatter, each
 * transiently failed row listed with where it starts and ends in both files.
 */
const ROWS = 30;
const FAILED = [3, 4, 10, 17, 29];
const SCORED: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };
// Messages as the client writes them; one holds a comma, quotes and a backslash, so the CSV cell is quoted (its quotes
// doubled, or backslash-escaped with --escape backslash) and the JSON string escaped.
const failureOf = (index: number): Outcome => ({
  kind: 'failed',
  failure: { code: 'http_500', message: index === 10 ? 'Workers AI failed transiently (HTTP 500); the service said: "busy, try later" (queue C:\\jobs\\) (gave up after 2 attempts)' : 'Workers AI failed transiently (HTTP 500, code 3043) (gave up after 1 attempt)', transient: true },
});

interface Job {
  source: Source;
  output: string;
  rows: FailedRow[];
  /** Where each row sits in the output. */
  ranges: Map<number, { outputStart: number; outputEnd: number }>;
  /** The output as the outage left it, and as a run that never saw the outage writes it. */
  failedBytes: Buffer;
  healthyBytes: Buffer;
}

describe('a mend checks its list of failed rows against the output first', () => {
  let dir: string;
  let cleanup: () => void;
  const sources: Source[] = [];
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(async () => {
    for (const source of sources) await source.release();
    cleanup();
  });

  /** Writes the input, the output with FAILED rows failed, and their list (sealed to the output). */
  async function job(name: string, format: 'csv' | 'jsonl', escape: CsvEscape = 'quote'): Promise<Job> {
    const input = path.join(dir, `${name}.${format}`);
    // A blank JSONL line is passed through: the row after it starts past it.
    const jsonl = Array.from({ length: ROWS }, (_, i) => `${JSON.stringify({ id: i, review: reviewText(i) })}\n${i === 8 ? '\n' : ''}`).join('');
    // With --escape backslash, the input's quotes are written \" (MySQL INTO OUTFILE, pandas escapechar), as the job writes its own cells.
    const csv = escape === 'backslash' ? syntheticCsv(ROWS, { emptyEvery: 0 }).replaceAll('""', '\\"') : syntheticCsv(ROWS, { emptyEvery: 0 });
    writeFileSync(input, format === 'csv' ? csv : jsonl);
    const output = path.join(dir, `${name}.scored.${format}`);
    const source = await openSource({ ...DEFAULTS, input, output, text: ['review'], ...(escape === 'backslash' ? { escape } : {}) }, input);
    sources.push(source);
    let failed = source.outputHeader;
    let healthy = source.outputHeader;
    let inputStart = source.firstRecordOffset;
    const rows: FailedRow[] = [];
    const ranges = new Map<number, { outputStart: number; outputEnd: number }>();
    for await (const record of source.records(source.firstRecordOffset, 0)) {
      const failedRow = !record.passThrough && FAILED.includes(record.index);
      const text = joinedRow(source.formatRecord(record, failedRow ? failureOf(record.index) : SCORED));
      const outputStart = Buffer.byteLength(failed);
      if (!record.passThrough) ranges.set(record.index, { outputStart, outputEnd: outputStart + Buffer.byteLength(text) });
      if (failedRow) rows.push({ index: record.index, inputStart, inputEnd: record.byteEnd, outputStart, outputEnd: outputStart + Buffer.byteLength(text), code: 'http_500' });
      failed += text;
      healthy += source.formatRecord(record, SCORED);
      inputStart = record.byteEnd;
    }
    writeFileSync(output, failed);
    await writeFailedRows(failedRowsPathFor(output), rows, output);
    return { source, output, rows, ranges, failedBytes: Buffer.from(failed), healthyBytes: Buffer.from(healthy) };
  }

  /** Runs the mend on `job` with `rows` as its list (sealed to the unchanged output), counting the texts it scores. */
  async function mend(job: Job, rows: FailedRow[] = job.rows, failureCounts?: FailureCounts, typedOutput?: string): Promise<{ sent: number; result: Promise<unknown> }> {
    await writeFailedRows(failedRowsPathFor(job.output), rows, job.output);
    const state = { sent: 0, result: Promise.resolve() as Promise<unknown> };
    state.result = mendCompletedJob({
      outputPath: job.output,
      typedOutput,
      partialPath: `${job.output}.partial`,
      source: job.source,
      totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length },
      runTotals: emptyTotals(),
      scorerFor: () => () => {
        state.sent += 1;
        return SCORED;
      },
      window: 4,
      stop: new StopController(),
      graceMs: 5000, limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' },
      listedFailures: job.rows.length,
      failureCounts,
      saveCompleted: async () => undefined,
      log: createLogger('silent'),
    });
    await state.result.catch(() => undefined);
    return state;
  }

  async function expectRefused(job: Job, rows: FailedRow[], reason: RegExp, failureCounts?: FailureCounts, advice = /nothing was mended and the output is unchanged; run with --restart .* or delete the list/): Promise<void> {
    const run = await mend(job, rows, failureCounts);
    const error = await run.result.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SentimentBatchError);
    expect((error as SentimentBatchError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toMatch(advice);
    expect((error as Error).message).not.toContain('\n');
    expect(run.sent).toBe(0);
    expect(readFileSync(job.output).equals(job.failedBytes)).toBe(true);
    expect(existsSync(`${job.output}.partial`)).toBe(false);
  }

  const moved = (row: FailedRow, by: number): FailedRow => ({ ...row, outputStart: row.outputStart + by, outputEnd: row.outputEnd + by });
  const replaced = (rows: FailedRow[], at: number, row: FailedRow): FailedRow[] => rows.map((old, i) => (i === at ? row : old));

  const variants = [
    { name: 'csv', format: 'csv', escape: 'quote' },
    { name: 'jsonl', format: 'jsonl', escape: 'quote' },
    { name: 'csv-backslash', format: 'csv', escape: 'backslash' },
  ] as const;
  for (const { name, format, escape } of variants) {
    describe(name, () => {
      it('an intact list mends every listed row: the output becomes the healthy run\'s, quoted and escaped messages included', async () => {
        const intact = await job(`intact-${name}`, format, escape);
        const run = await mend(intact);
        await expect(run.result).resolves.toMatchObject({ kind: 'mended', mended: FAILED.length, stillFailing: 0 });
        expect(run.sent).toBe(FAILED.length);
        expect(readFileSync(intact.output).equals(intact.healthyBytes)).toBe(true);
      });

      it('a list saved with a leading BOM by an editor is mended as written, not refused as having lost its seal', async () => {
        const saved = await job(`bom-${name}`, format, escape);
        const list = failedRowsPathFor(saved.output);
        writeFileSync(list, `\uFEFF${readFileSync(list, 'utf8')}`);
        let sent = 0;
        const mended = mendCompletedJob({ outputPath: saved.output, partialPath: `${saved.output}.partial`, source: saved.source, totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length }, runTotals: emptyTotals(), scorerFor: () => () => ((sent += 1), SCORED), window: 4, stop: new StopController(), graceMs: 5000, limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' }, listedFailures: FAILED.length, saveCompleted: async () => undefined, log: createLogger('silent') });
        await expect(mended).resolves.toMatchObject({ kind: 'mended', mended: FAILED.length, stillFailing: 0 });
        expect(sent).toBe(FAILED.length);
        expect(readFileSync(saved.output).equals(saved.healthyBytes)).toBe(true);
      });

      it('refuses a list whose seal names another length than the output\'s; one of the same length is taken for an output changed', async () => {
        const resealed = await job(`resealed-${name}`, format, escape);
        const list = failedRowsPathFor(resealed.output);
        const seal = (edit: (header: Record<string, unknown>) => void): void => {
          const [first, ...rest] = readFileSync(list, 'utf8').split('\n');
          const header = JSON.parse(first as string) as Record<string, unknown>;
          edit(header);
          writeFileSync(list, [JSON.stringify(header), ...rest].join('\n'));
        };
        let sent = 0;
        const run = (): Promise<unknown> =>
          mendCompletedJob({ outputPath: resealed.output, partialPath: `${resealed.output}.partial`, source: resealed.source, totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length }, runTotals: emptyTotals(), scorerFor: () => () => ((sent += 1), SCORED), window: 4, stop: new StopController(), graceMs: 5000, limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' }, listedFailures: FAILED.length, saveCompleted: async () => undefined, log: createLogger('silent') });
        const size = resealed.failedBytes.length;
        // The output's length is proven before a mend: a seal naming another was edited. It said "the output was changed
        // after their list was written", mended nothing, exit 0.
        seal((header) => (header['outputBytes'] = size + 1));
        const refused = await run().then(() => undefined, (error: unknown) => error);
        expect(refused).toBeInstanceOf(SentimentBatchError);
        expect((refused as SentimentBatchError).exitCode).toBe(3);
        expect((refused as Error).message).toMatch(new RegExp(`failed-rows is sealed to an output of ${size + 1} bytes, not to .* \\(${size} bytes, as its checkpoint records\\): it was edited or damaged, so nothing was mended`));
        // Of the same length, another hash: the output may be what was edited (keeping its length), which the list cannot tell.
        await writeFailedRows(list, resealed.rows, resealed.output);
        seal((header) => (header['outputHash'] = '0'.repeat(64)));
        await expect(run()).resolves.toMatchObject({ kind: 'nothing', unlisted: { changed: FAILED.length } });
        expect(sent).toBe(0);
        expect(readFileSync(resealed.output).equals(resealed.failedBytes)).toBe(true);
      });

      it('refuses a shifted range, overlapping ranges, a range past the end, another row\'s bytes, a deleted line', async () => {
        const damaged = await job(`damaged-${name}`, format, escape);
        const rows = damaged.rows;
        const [r3, r4, r10, r17, r29] = rows as [FailedRow, FailedRow, FailedRow, FailedRow, FailedRow];
        // Shifted by 5 bytes, alone (row 10 has room on both sides): its bytes are no longer that row.
        await expectRefused(damaged, replaced(rows, 2, moved(r10, 5)), /does not match the output at row 10 /);
        await expectRefused(damaged, replaced(rows, 2, moved(r10, -5)), /does not match the output at row 10 /);
        // Row 4 stretched back into row 3.
        await expectRefused(damaged, replaced(rows, 1, { ...r4, outputStart: r4.outputStart - 1 }), /at row 4 overlaps row 3 in the output/);
        // The last row reaching past the output's end.
        const size = damaged.failedBytes.length;
        await expectRefused(damaged, replaced(rows, 4, { ...r29, outputEnd: size + 10 }), new RegExp(`at row 29 reaches byte ${size + 10}, past the output's end \\(${size} bytes\\)`));
        // A range holding another row: row 10 pointing at row 11 (scored), rows 3 and 4 each at the next row (row 4 failed too).
        const at = (index: number) => damaged.ranges.get(index) as { outputStart: number; outputEnd: number };
        await expectRefused(damaged, replaced(rows, 2, { ...r10, ...at(11) }), /does not match the output at row 10 /);
        await expectRefused(damaged, [{ ...r3, ...at(4) }, { ...r4, ...at(5) }, r10, r17, r29], /does not match the output at row 3 /);
        // Ranges out of order: row 17 at row 10's bytes.
        await expectRefused(damaged, replaced(rows, 3, { ...r17, ...at(10) }), /at row 17 overlaps row 10 in the output/);
        // Rows out of order, and a line repeated.
        await expectRefused(damaged, [r3, r4, r17, r10, r29], /at row 10 is out of order \(after row 17\)/);
        await expectRefused(damaged, [r3, r4, r10, r10, r29], /at row 10 is out of order \(after row 10\)/);
        // A deleted line: its row, failed transiently, would have been left and counted as refused for its text.
        await expectRefused(damaged, [r3, r4, r17, r29], /holds 4 rows, but the run that completed the output listed 5/);
        // Another code than the row was written with.
        await expectRefused(damaged, replaced(rows, 0, { ...r3, code: 'timeout' }), /does not match the output at row 3 \(bytes \d+-\d+ are not that row as its run wrote it, failed with code timeout\)/);
        // A "dup" mark added by hand (the rows were sent to the model: 5 of them failed), removed, or not true:
        // mended, the counts would no longer add up (the next run took the checkpoint for unusable and scored the input again).
        const counts = (): FailureCounts => ({ unreadable: 0, sent: ROWS, sentFailed: FAILED.length });
        await expectRefused(damaged, replaced(rows, 1, { ...r4, duplicate: true }), /marks 1 of its 5 rows as duplicates \("dup"\)/, counts());
        // The list as written (it matches the output) beside a checkpoint whose count of failed rows sent was lowered: the
        // count is what disagrees, and the line says so, not that the list marks too few duplicates ("marks 0 of its 5 rows").
        const checkpoint = `${damaged.output}.checkpoint.json`;
        await expectRefused(
          damaged,
          rows,
          new RegExp(`^the checkpoint ${checkpoint} counts 4 failed rows sent to the model, but the list of failed rows ${failedRowsPathFor(damaged.output)}, which matches the output, holds 5 not marked as duplicates`),
          { unreadable: 0, sent: ROWS, sentFailed: FAILED.length - 1 },
          /the checkpoint's count was edited or damaged \(or a "dup" mark removed from the list\), so nothing was mended and the output is unchanged; run with --restart to score the input afresh$/,
        );
        writeFileSync(failedRowsPathFor(damaged.output), readFileSync(failedRowsPathFor(damaged.output), 'utf8').replace('"code":"http_500"}', '"code":"http_500","dup":1}'));
        const notTrue = mendCompletedJob({ outputPath: damaged.output, partialPath: `${damaged.output}.partial`, source: damaged.source, totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length }, runTotals: emptyTotals(), scorerFor: () => () => SCORED, window: 4, stop: new StopController(), graceMs: 5000, limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' }, listedFailures: FAILED.length, saveCompleted: async () => undefined, log: createLogger('silent') });
        await expect(notTrue).rejects.toThrow(/holds 4 rows, but the run that completed the output listed 5/);
        // A line repeated or added, with the job's counts: said as the count it is, not as duplicate marks ("marks 0 of its 6 rows").
        await expectRefused(damaged, [r3, r4, r10, r10, r17, r29], /holds 6 rows, but the run that completed the output listed 5/, counts());
        await expectRefused(damaged, [...rows, { ...r29, index: 9999, inputStart: 90_000, inputEnd: 90_050 }], /holds 6 rows, but the run that completed the output listed 5/, counts());
        // With the job's counts, the list as written is mended and the counts add up.
        const intactCounts = counts();
        const counted = await mend(damaged, rows, intactCounts);
        await expect(counted.result).resolves.toMatchObject({ kind: 'mended', mended: FAILED.length });
        expect(intactCounts.sentFailed).toBe(0);
        await writeFileSync(damaged.output, damaged.failedBytes);
        // The list is still good once put back.
        const run = await mend(damaged);
        await expect(run.result).resolves.toMatchObject({ kind: 'mended', mended: FAILED.length });
        expect(readFileSync(damaged.output).equals(damaged.healthyBytes)).toBe(true);
      });
    });
  }

  // The refusals name the list and the checkpoint after the output as the user gave it (-o out.csv), as `Done: out.csv`
  // does (wording/typed-path.ts): they named `/home/me/exports/out.csv.failed-rows`.
  it('names the list and the checkpoint after the output as typed', async () => {
    const typedJob = await job('typed', 'csv');
    const typed = path.relative(process.cwd(), typedJob.output);
    const refusal = async (rows: FailedRow[], counts?: FailureCounts): Promise<string> => {
      const run = await mend(typedJob, rows, counts, typed);
      return run.result.then(() => 'mended', (error: unknown) => (error as Error).message);
    };
    const [r3, r4, r10, r17, r29] = typedJob.rows as [FailedRow, FailedRow, FailedRow, FailedRow, FailedRow];
    expect(await refusal([r3, r4, r17, r29])).toMatch(new RegExp(`^the list of failed rows ${typed}\\.failed-rows holds 4 rows, but`));
    expect(await refusal(replaced(typedJob.rows, 2, moved(r10, 5)))).toMatch(new RegExp(`^the list of failed rows ${typed}\\.failed-rows does not match the output at row 10 `));
    expect(await refusal(replaced(typedJob.rows, 1, { ...r4, duplicate: true }), { unreadable: 0, sent: ROWS, sentFailed: FAILED.length })).toMatch(new RegExp(`^the list of failed rows ${typed}\\.failed-rows marks 1 of its 5 rows`));
    expect(await refusal(typedJob.rows, { unreadable: 0, sent: ROWS, sentFailed: FAILED.length - 1 })).toMatch(
      new RegExp(`^the checkpoint ${typed}\\.checkpoint\\.json counts 4 failed rows sent to the model, but the list of failed rows ${typed}\\.failed-rows, which matches`),
    );
    const list = failedRowsPathFor(typedJob.output);
    writeFileSync(list, '');
    const emptied = await mendCompletedJob({ outputPath: typedJob.output, typedOutput: typed, partialPath: `${typedJob.output}.partial`, source: typedJob.source, totals: { ...emptyTotals(), read: ROWS, scored: ROWS - FAILED.length, failed: FAILED.length }, runTotals: emptyTotals(), scorerFor: () => () => SCORED, window: 4, stop: new StopController(), graceMs: 5000, limits: { maxErrors: undefined, maxErrorRate: 0.5, errorPlace: 'the error column' }, listedFailures: FAILED.length, saveCompleted: async () => undefined, log: createLogger('silent') }).catch((error: unknown) => (error as Error).message);
    expect(emptied).toMatch(new RegExp(`^the list of failed rows ${typed}\\.failed-rows is empty`));
  });
});
