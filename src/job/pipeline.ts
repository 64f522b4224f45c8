import { readerOutcome, type InputRecord, type Outcome } from '../io/record.js';
import type { Totals } from '../state/totals.js';
import type { RowResult } from './dedupe.js';
import type { ErrorGuard } from './error-guard.js';
import { mayBeUnfinished } from './last-row-ending.js';
import { READER_FAILURES } from './reader-failures.js';
import { TEXT_TOO_LONG } from './row-plan.js';
import type { RecordSink } from './open-output.js';
import type { StopController } from './stop.js';
import { settleRow } from './unexpected-stop.js';

/** Where the output stands: everything before these offsets is written. */
export interface Position {
  inputOffset: number;
  outputBytes: number;
  nextIndex: number;
  /**
   * Where the last written record starts, in the input and in the output: a
   * resume checks that those output bytes are that input record's (prove-checkpoint.ts).
   * Absent while nothing but the header is written.
   */
  lastInputStart?: number;
  lastOutputStart?: number;
}

export interface PipelineOptions {
  records: AsyncIterable<InputRecord>;
  /** `index`: the row's 0-based data index. */
  score(text: string, index: number): RowResult | Promise<RowResult>;
  format(record: InputRecord, outcome: Outcome): string;
  output: RecordSink;
  stop: StopController;
  guard: ErrorGuard;
  totals: Totals;
  /** Told each row counted scored, with the totals: the whole output's counts per label (state/label-counts.ts). */
  labels?: { scored(label: string): void };
  /** Where writing starts; advanced in place as rows are written (the progress line reads it). */
  position: Position;
  /** Records read but not yet written, at most: bounds memory and the reorder wait. */
  window: number;
  checkpointIntervalMs: number;
  /** Makes the given position durable (the output is fsynced up to it first). */
  checkpoint(position: Position): Promise<void>;
  /** After a stop, how long in-flight rows may take before they are abandoned. */
  graceMs: number;
  /** Told where each row that failed transiently was written, so a later run can mend it. */
  onTransientFailure?(row: WrittenRow): void | Promise<void>;
  /**
   * Told, when a fault ends the pass (a full disk: it is then thrown), how many records read it leaves unwritten, as
   * `unwritten` says after a stop: the run's figures say every row it read.
   */
  onFault?(unwritten: number): void;
  /**
   * Asked once the reader has ended, before the last record is written when it has no line feed (last-row-ending.ts: a
   * row a writer still at work may not have finished); throws when the input is no longer the one read (the writer went
   * on): that record then stays unwritten and the pass ends with `inputChanged`, its checkpoint before that row.
   */
  checkInputUnchanged?(): Promise<void>;
}

/** Where one row sits in the input and in the output. */
export interface WrittenRow {
  index: number;
  inputStart: number;
  inputEnd: number;
  outputStart: number;
  outputEnd: number;
  /** The failure's code, e.g. `http_500`. */
  code: string;
  /** The failure was an earlier row's with the same text (dedupe.ts): this row did not reach the model itself. */
  duplicate?: boolean;
}

export interface PipelineEnd {
  /** All records of the input were written. */
  complete: boolean;
  position: Position;
  /**
   * Records read (blank lines aside) that a stop left unwritten: read ahead, waiting, in flight or answered after the
   * first row the stop cut short. The next run reads them again; none is in the totals.
   */
  unwritten: number;
  /** The input failed part-way (bad quoting, invalid UTF-8...): rows before it are written. */
  readError?: unknown;
  /** What `checkInputUnchanged` threw: the input changed under a last record with no line feed, left unwritten. */
  inputChanged?: unknown;
}

interface Slot {
  record: InputRecord;
  result: RowResult | undefined;
  promise: Promise<RowResult> | undefined;
}

/**
 * One pass, in input order: records are scored concurrently (up to `window`
 * ahead), written strictly in order, and the position is checkpointed after
 * an fsync every `checkpointIntervalMs`. On a stop, intake ends, rows in
 * flight get `graceMs` to finish, and the output ends at the first row that
 * did not (the next run starts there).
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineEnd> {
  const { stop, output } = options;
  const { position } = options;
  const slots: Slot[] = [];
  let head = 0;
  let lastCheckpoint = Date.now();
  let blocked = false; // an abandoned row: nothing after it may be written
  // Records read (blank lines aside) and those counted as written: the difference is what a stop or fault leaves
  // unwritten (an abandoned row, those after it, or the one whose write the disk refused).
  let read = 0;
  let counted = 0;
  // The reader ended after the last record read and the input was found unchanged then: that record is whole.
  let lastConfirmed = false;
  /**
   * The head slot is the last record read, has no line feed and is not confirmed whole: it is not written yet. A record
   * read after it proves it ended (a CR alone then ends it: no LF follows); the reader's end, and the input unchanged
   * then, prove it too. Otherwise a checkpoint (periodic, or a stop's at the end) would stand inside a row a writer has
   * not finished, which the next run's proof finds longer: it would start the whole job over, every row paid again.
   */
  const holdsLast = (): boolean => head === slots.length - 1 && !lastConfirmed && mayBeUnfinished((slots[head] as Slot).record);
  /**
   * The error guard stopped the run (too many rows failed): the output ends at the row that tripped it, whatever was
   * read past it. A Workers AI run holds up to `window` rows read ahead, settled or answered by then; written, they
   * completed the output of a file whose rest fitted in that window (exit 0), where the embedded model, which reads
   * none ahead, stopped at the row (exit 5): the same file judged two ways. Answers received past it stay in the
   * journal for the next run, which continues there.
   */
  const stoppedByGuard = (): boolean => stop.reason?.kind === 'too_many_errors';
  let complete = false; // the reader ended
  /**
   * The guard's stop left only blank lines (no rows) and the reader ended after them: written, they complete the output.
   * Left out, a file ending in a blank line was stopped (exit 5, a .partial) where the same rows without it were done.
   */
  const onlyBlanksLeft = (): boolean => slots.slice(head).every((slot) => slot.record.passThrough === true);
  const blanksToEnd = (): boolean => complete && onlyBlanksLeft();
  /** A row is waiting at the head and may be written: none abandoned before it, no guard's stop (but for blanksToEnd), and it is not a last row held back. */
  const canWrite = (): boolean => head < slots.length && !blocked && (!stoppedByGuard() || blanksToEnd()) && !holdsLast();

  /**
   * Writes one row. Returns a promise only when the row has to wait (a flush, a checkpoint, a transient failure
   * listed, an oversized record's head): most rows are written without one (a promise per row was part of the cost).
   */
  const writeSlot = (slot: Slot, result: RowResult): Promise<void> | undefined => {
    if (result.kind === 'abandoned') {
      blocked = true;
      return undefined;
    }
    const text = options.format(slot.record, result);
    const outputStart = output.bytes;
    if ((result.kind === 'failed' && result.failure.transient && options.onTransientFailure) || slot.record.rawHead !== undefined) {
      return writeSlowly(slot, result, text, outputStart);
    }
    const writing = output.write(text);
    return writing === undefined ? written(slot, result, outputStart) : writing.then(() => written(slot, result, outputStart));
  };

  /** writeSlot for a row with something to do before its text is written. */
  const writeSlowly = async (slot: Slot, result: Outcome, text: string, outputStart: number): Promise<void> => {
    if (result.kind === 'failed' && result.failure.transient && options.onTransientFailure) {
      await output.flush();
      const row = { index: slot.record.index, inputStart: position.inputOffset, inputEnd: slot.record.byteEnd, outputStart, outputEnd: outputStart + Buffer.byteLength(text), code: result.failure.code, ...(result.duplicate ? { duplicate: true } : {}) };
      await options.onTransientFailure(row);
    }
    for (const bytes of slot.record.rawHead ?? []) await output.writeBytes(bytes);
    await output.write(text);
    await written(slot, result, outputStart);
  };

  /** The row's text is handed to the output: the position and the counts follow it, and a checkpoint when one is due. */
  const written = (slot: Slot, result: Outcome, outputStart: number): Promise<void> | undefined => {
    position.lastInputStart = position.inputOffset;
    position.lastOutputStart = outputStart;
    position.inputOffset = slot.record.byteEnd;
    position.nextIndex = slot.record.passThrough ? position.nextIndex : slot.record.index + 1;
    if (!slot.record.passThrough) {
      count(options, result);
      counted += 1;
    }
    // A last record with no line feed, confirmed whole above, gets no checkpoint of its own: the completion's follows it
    // (were the input to change in between, the checkpoint would stand after it: see holdsLast).
    const unfinishedLast = head === slots.length && mayBeUnfinished(slot.record);
    if (!unfinishedLast && Date.now() - lastCheckpoint >= options.checkpointIntervalMs) {
      lastCheckpoint = Date.now();
      return output.sync().then((outputBytes) => options.checkpoint({ ...position, outputBytes }));
    }
    return undefined;
  };

  /**
   * Writes the settled rows at the head; with `wait`, waits for the head row first. Returns a promise only when a
   * row has to wait (writeSlot, or the head row's answer with `wait`).
   */
  const drainHead = (wait: boolean): Promise<void> | undefined => {
    while (canWrite()) {
      const slot = slots[head] as Slot;
      const result = slot.result;
      if (result === undefined) {
        if (!wait) return undefined;
        return (slot.promise as Promise<RowResult>).then((settled) => afterWrite(take(slot, settled)));
      }
      const writing = take(slot, result);
      if (writing !== undefined) return afterWrite(writing);
      wait = false;
    }
    if (head > 4096 && head * 2 > slots.length) {
      slots.splice(0, head);
      head = 0;
    }
    return undefined;
  };
  /** Takes the head slot off (released for the garbage collector) and writes its row. */
  const take = (slot: Slot, result: RowResult): Promise<void> | undefined => {
    slots[head] = undefined as unknown as Slot;
    head += 1;
    return writeSlot(slot, result);
  };
  /** The rows after one written: drainHead goes on without waiting, once that row's write is done. */
  const afterWrite = (writing: Promise<void> | undefined): Promise<void> | undefined => (writing === undefined ? drainHead(false) : writing.then(() => drainHead(false)));

  // The grace period starts when the stop is asked for, even if we are waiting on a slow row then.
  const endGrace = stop.graceAfterStop(options.graceMs);

  const iterator = options.records[Symbol.asyncIterator]();
  let readError: unknown;
  let inputChanged: unknown;
  try {
    try {
      for (;;) {
        if (stop.requested) {
          // The guard tripped on a row with none read past it (blank lines aside): if that was the input's last, the output
          // holds every row and is complete, judged over the whole job (completed-pass-summary.ts), as when the reader had
          // ended before (read ahead, as a Workers AI run reads): the embedded model, reading none ahead, left a .partial (exit 5).
          if (stoppedByGuard() && onlyBlanksLeft()) complete = await readerEnded(iterator, (blank) => slots.push(makeSlot(blank, options)), options.window);
          break;
        }
        let next: IteratorResult<InputRecord>;
        try {
          next = await iterator.next();
        } catch (error) {
          readError = error;
          break;
        }
        if (next.done) {
          complete = true;
          break;
        }
        slots.push(makeSlot(next.value, options));
        if (!next.value.passThrough) read += 1;
        const draining = drainHead(false);
        if (draining !== undefined) await draining;
        while (slots.length - head >= options.window && canWrite()) await drainHead(true);
        if (blocked) break;
      }
    } finally {
      if (!complete && readError === undefined) await iterator.return?.();
    }

    while (canWrite()) await drainHead(true);
    if (complete && holdsLast()) {
      // The reader ended after it: whole, unless the input changed since (checked once its answer is in: the last moment).
      await (slots[head] as Slot).promise;
      inputChanged = await options.checkInputUnchanged?.().then(
        () => undefined,
        (error: unknown) => error ?? new Error('the input changed'),
      );
      lastConfirmed = inputChanged === undefined;
      while (canWrite()) await drainHead(true);
    }
    // A last record held (a stop came before the reader's end, or the input changed): its request is paid, its answer kept (the journal).
    if (!blocked && holdsLast()) await (slots[head] as Slot).promise;
    // Rows after an abandoned one cannot be written, but requests in flight for them are paid for:
    // wait for their answers (kept by the journal), at most until the grace period aborts them.
    if (blocked || stoppedByGuard()) await Promise.all(slots.slice(head).map((slot) => slot?.promise));
    // The output's last bytes, which a full disk may refuse as well: a fault as any other write's.
    position.outputBytes = await output.sync();
  } catch (error) {
    // A fault writing (a full disk under the partial output, the partial removed at a checkpoint): the rows read ahead
    // send nothing more, and the requests in flight are waited for (up to --grace), so the figures the fault's summary
    // reports count every request sent (they went on sending while the run unwound), as a mend's fault does (mend.ts).
    stop.fault(error);
    await Promise.allSettled(slots.slice(head).map((slot) => slot?.promise));
    options.onFault?.(read - counted);
    throw error;
  } finally {
    endGrace();
  }
  const finished = complete && !blocked && head === slots.length;
  const unwritten = read - counted;
  if (readError !== undefined) return { complete: false, position, unwritten, readError };
  return inputChanged === undefined ? { complete: finished, position, unwritten } : { complete: false, position, unwritten, inputChanged };
}

/**
 * Whether the reader has no record left but blank lines (up to `most`), each handed to `blank` (they are no rows: they
 * complete the output). A row it returns is dropped, unwritten and uncounted: the position stays before it, so the next
 * run reads it again, as every row past a stop. A read error there is the next run's to meet.
 */
async function readerEnded(iterator: AsyncIterator<InputRecord>, blank: (record: InputRecord) => void, most: number): Promise<boolean> {
  try {
    for (let blanks = 0; blanks <= most; blanks++) {
      const next = await iterator.next();
      if (next.done === true) return true;
      if (next.value.passThrough !== true) return false;
      blank(next.value);
    }
    return false;
  } catch {
    return false;
  }
}

function makeSlot(record: InputRecord, options: PipelineOptions): Slot {
  const slot: Slot = { record, result: undefined, promise: undefined };
  if (record.passThrough) {
    slot.result = { kind: 'skipped', failure: { code: 'blank', message: '' } };
    return slot;
  }
  if (!record.text.ok) {
    slot.result = readerOutcome(record.text.failure);
    return slot;
  }
  // The row scorer turns every failure of a row into an outcome; a rejection left is a bug, which stops the run as a
  // fatal error does, not an unhandled rejection (Node's stack trace, exit 1, no summary nor --summary-json).
  const result = settleRow(options.score(record.text.value, record.index), options.stop);
  if (result instanceof Promise) {
    slot.promise = result;
    void result.then((value) => {
      slot.result = value;
    });
  } else {
    slot.result = result;
  }
  return slot;
}

function count(options: PipelineOptions, outcome: Outcome): void {
  const { totals, guard, stop } = options;
  totals.read += 1;
  if (outcome.kind === 'scored') {
    totals.scored += 1;
    options.labels?.scored(outcome.label);
    if (outcome.cached) totals.cached += 1;
    if (outcome.duplicate) totals.duplicates += 1;
    if (outcome.truncated) totals.truncated += 1;
  } else if (outcome.kind === 'skipped') {
    totals.skipped += 1;
  } else {
    totals.failed += 1;
    if (outcome.duplicate) totals.duplicates += 1;
  }
  guardRow(guard, stop, outcome);
}

/** Tells `guard` of one row written (the pipeline's, a mend's), and stops the run when the row trips it. */
export function guardRow(guard: ErrorGuard, stop: StopController, outcome: Outcome): void {
  // Rows sent to the model: those that sent a request of their own, whatever its answer; not a row answered from
  // the cache, nor one answered by an earlier row's request (its scores or its failure: "duplicates saved").
  const reachedModel = outcome.kind === 'scored' ? !outcome.cached && !outcome.duplicate : outcome.kind === 'failed' && !isReadFailure(outcome) && !outcome.duplicate;
  const unreadable = outcome.kind === 'failed' && READER_FAILURES.has(outcome.failure.code);
  const tripped = guard.record(outcome.kind === 'failed', reachedModel, unreadable, outcome);
  if (tripped) stop.request({ kind: 'too_many_errors', error: tripped });
}

/** Failures that never reached the model: the readers' and a text refused by --long-text fail. */
const READ_FAILURES = new Set([...READER_FAILURES, TEXT_TOO_LONG]);
function isReadFailure(outcome: Outcome): boolean {
  return outcome.kind === 'failed' && READ_FAILURES.has(outcome.failure.code);
}
