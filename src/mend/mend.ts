import { rm, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { SentimentBatchError } from '../errors.js';
import { withoutEndingAt } from '../io/ended-since.js';
import { OutputFile } from '../io/output-file.js';
import type { InputRecord, Outcome } from '../io/record.js';
import type { RowResult } from '../job/dedupe.js';
import type { Source } from '../job/source.js';
import { tooLargeToMend } from './too-large-to-mend.js';
import type { ErrorGuard } from '../job/error-guard.js';
import { guardRow } from '../job/pipeline.js';
import type { StopController } from '../job/stop.js';
import { settleRow } from '../job/unexpected-stop.js';
import { openExistingNoFollow } from '../state/no-follow.js';
import { isNumberOnly, NumberOnlyCount, type NumberOnlyRows } from '../scoring/number-only-text.js';
import { failedRowsPathFor, type FailedRow } from './failed-rows.js';
import { listRefused } from './verify-list.js';
import { rowBytes } from '../io/row-text.js';

export interface MendOptions {
  /** The completed output: read, never changed (the mended copy goes to `partialPath`). */
  outputPath: string;
  partialPath: string;
  source: Source;
  /** Rows to score again, in output order. */
  rows: FailedRow[];
  score(text: string, index: number): RowResult | Promise<RowResult>;
  /** Each row written to the copy, with its new outcome. */
  onWritten?: (record: InputRecord, outcome: Outcome) => void;
  /** Rows scored at once, at most (bounds memory). */
  window: number;
  /** Where the output's last record starts (the checkpoint's position), to say where it starts in the copy. */
  lastOutputStart?: number | undefined;
  /** The run's stop: the scorer's requests watch it; the mend asks it to stop when a fault ends the mend. */
  stop: StopController;
  /** After a stop, how long requests in flight may take before they are aborted (--grace). */
  graceMs: number;
  /** Judges the rows as they are written: rows failing again over --max-error-rate stop the mend, as they stop a run. */
  guard: ErrorGuard;
}

export type MendResult =
  | {
      kind: 'mended';
      /** Failed before, scored now. */
      scored: number;
      /** Those rows per label (the whole output's counts gain them once the copy replaces the output: state/label-counts.ts). */
      labels: Record<string, number>;
      /** Of them, those whose text is only a number (counted with the labels: state/label-counts.ts); absent when none. */
      numberOnly?: NumberOnlyRows;
      /** Of them, rows whose failure had been an earlier row's with the same text (not counted among the rows sent then). */
      scoredDuplicates: number;
      /** Rows still failing: transiently (listed for the next run, at their new place) or now refused for their content. */
      stillFailed: FailedRow[];
      /** The message of the last row that failed again transiently: what the summary says of them when every one did. */
      lastTransient?: string;
      refused: number;
      /** Of the rows scored now: cut to the model's window, answered from the cache. */
      truncated: number;
      cached: number;
      /**
       * Rows, scored or failed again, that took the answer of another row with the same text (its request, in this
       * run or a stopped mend's): they sent no request of their own, as a run counts its duplicates.
       */
      duplicates: number;
      outputBytes: number;
      /** Where the last record of the output starts in the copy: `lastOutputStart` moved by the rows mended before it, or that row's new start. */
      lastOutputStart: number | undefined;
    }
  /** A stop (signal, budget, fatal error) cut the mend short: the output is unchanged. */
  | { kind: 'stopped' };

interface Pending {
  row: FailedRow;
  record: InputRecord;
  result: Promise<RowResult> | RowResult;
}

const COPY_CHUNK = 1 << 20;

/**
 * Writes a copy of the completed output to `partialPath` in which each listed
 * row is scored again: every other byte is copied as it is, so the copy is
 * byte-identical to an output that never saw the failures (for the rows that
 * succeed now). The caller renames it over the output.
 */
export async function mendRows(options: MendOptions): Promise<MendResult> {
  const { rows, source } = options;
  const first = rows[0];
  if (!first) throw new SentimentBatchError('internal', 'mendRows called without rows');
  const old = await openExistingNoFollow(options.outputPath, 'read');
  let copy: OutputFile;
  try {
    copy = await OutputFile.create(options.partialPath);
  } catch (error) {
    // A copy refused (its path a folder, a full disk): the output is closed here, not left to garbage collection.
    await old.close();
    throw error;
  }
  let cursor = 0;
  const stillFailed: FailedRow[] = [];
  let lastTransient: string | undefined;
  let scored = 0;
  let scoredDuplicates = 0;
  const labels: Record<string, number> = {};
  const numberOnly = new NumberOnlyCount();
  let refused = 0;
  let truncated = 0;
  let cached = 0;
  let duplicates = 0;
  let stopped = false;
  // Where the output's last record starts in the copy, when that record is one of the rows mended.
  let lastMovedTo: number | undefined;

  // Writes the oldest pending row: the untouched bytes before it, then its new record.
  const writeNext = async (pending: Pending): Promise<void> => {
    const result = await pending.result;
    if (result.kind === 'abandoned') {
      stopped = true;
      return;
    }
    await copyRange(old, copy, cursor, pending.row.outputStart);
    await copy.flush();
    const outputStart = copy.bytes;
    const text = options.source.formatRecord(pending.record, result);
    if (pending.row.outputStart === options.lastOutputStart) lastMovedTo = outputStart;
    await copy.write(text);
    options.onWritten?.(pending.record, result);
    // A service down throughout the mend: its rows were all sent and retried, 8 at a time, (2,099 requests in 10 min
    // for 352 of 1,501 rows) where a run stops after about 50 rows. The stop leaves the output as it was.
    guardRow(options.guard, options.stop, result);
    cursor = pending.row.outputEnd;
    if (result.kind !== 'skipped' && result.duplicate === true) duplicates += 1;
    if (result.kind === 'scored') {
      scored += 1;
      labels[result.label] = (labels[result.label] ?? 0) + 1;
      // In output order, which is the input's: the first counted is the first row.
      if (pending.record.text.ok && isNumberOnly(pending.record.text.value)) numberOnly.add(pending.record.index + 1);
      if (pending.row.duplicate === true) scoredDuplicates += 1;
      if (result.truncated === true) truncated += 1;
      if (result.cached === true) cached += 1;
    } else if (result.kind === 'failed' && result.failure.transient) {
      stillFailed.push({ ...pending.row, outputStart, outputEnd: outputStart + rowBytes(text), code: result.failure.code });
      lastTransient = result.failure.message;
    } else refused += 1;
  };

  // A stop gives the requests in flight --grace to answer, as the pipeline does (a SIGTERM waited 28 s for a hung one).
  const endGrace = options.stop.graceAfterStop(options.graceMs);
  const queue: Pending[] = [];
  try {
    let next = 0;
    const iterator = source.records(first.inputStart, first.index)[Symbol.asyncIterator]();
    try {
      while (next < rows.length && !stopped) {
        // A stop asked for (a signal, the guard) reads no further: the rows ahead lie anywhere in the input, and reading
        // to the last of them only to drop them kept a stopped mend going for as long as a read of the whole file.
        if (options.stop.requested) {
          stopped = true;
          break;
        }
        const item = await iterator.next();
        if (item.done) break;
        const row = rows[next] as FailedRow;
        // Written without the line ending that ended it since (io/ended-since.ts): that ending follows it in the output.
        const record = withoutEndingAt(item.value, row.inputEnd);
        if (record.passThrough || record.index < row.index) continue;
        if (record.index !== row.index || record.byteEnd !== row.inputEnd || !record.text.ok) {
          // verify-list.ts said it first; here too, should a mend come without that check.
          throw tooLargeToMend(failedRowsPathFor(options.outputPath), row, record, source.format) ?? listRefused(failedRowsPathFor(options.outputPath), `does not match the input at row ${row.index}`);
        }
        next += 1;
        // A rejection (a bug) stops the mend as it stops a run, handled now: the row may wait in the queue for long.
        queue.push({ row, record, result: settleRow(options.score(record.text.value, record.index), options.stop) });
        while (queue.length >= options.window && !stopped) await writeNext(queue.shift() as Pending);
      }
    } finally {
      await iterator.return?.();
    }
    if (next < rows.length && !stopped) {
      throw listRefused(failedRowsPathFor(options.outputPath), `names row ${rows[next]?.index}, past the input's end`);
    }
    while (queue.length > 0 && !stopped) await writeNext(queue.shift() as Pending);
    // Answers still on their way after a stop are journaled by the scorer; wait for them (bounded by --grace).
    await Promise.all(queue.map((pending) => pending.result));
    if (stopped) {
      await copy.close();
      await rm(options.partialPath, { force: true });
      return { kind: 'stopped' };
    }
    const oldBytes = (await old.stat()).size;
    await copyRange(old, copy, cursor, oldBytes);
    const outputBytes = await copy.sync();
    await copy.close();
    // Every mended row lies before the last record, or is it: a record after them moved by their change in length.
    const last = options.lastOutputStart;
    const lastOutputStart = last === undefined ? undefined : (lastMovedTo ?? last + outputBytes - oldBytes);
    const numberOnlyRows = numberOnly.figures();
    return { kind: 'mended', scored, labels, ...(numberOnlyRows ? { numberOnly: numberOnlyRows } : {}), scoredDuplicates, stillFailed, ...(lastTransient !== undefined ? { lastTransient } : {}), refused, truncated, cached, duplicates, outputBytes, lastOutputStart };
  } catch (error) {
    // Up to --concurrency × 8 rows are queued: stopped, they send nothing more, and the requests in flight are waited
    // for, so the figures the fault's summary reports count every request the service received.
    options.stop.fault(error);
    await Promise.allSettled(queue.map((pending) => pending.result));
    await copy.close().catch(() => undefined);
    await rm(options.partialPath, { force: true });
    throw error;
  } finally {
    endGrace();
    await old.close();
  }
}

/** Copies bytes [from, to) of `source` into `target`, decoding UTF-8 safely across chunk edges. */
async function copyRange(source: FileHandle, target: OutputFile, from: number, to: number): Promise<void> {
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(1, to - from)));
  for (let position = from; position < to; ) {
    const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) throw new SentimentBatchError('checkpoint', `the output ended at byte ${position}, before ${to}, while mending; run with --restart`);
    await target.write(decoder.write(buffer.subarray(0, bytesRead)));
    position += bytesRead;
  }
  const rest = decoder.end();
  if (rest) await target.write(rest);
}

