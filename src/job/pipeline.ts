import { holdsNoData, readerOutcome, type InputRecord, type Outcome } from '../io/record.js';
import type { Totals } from '../state/totals.js';
import type { RowResult } from './dedupe.js';
import type { ErrorGuard } from './error-guard.js';
import { OrderedWrites, type Slot } from './ordered-writes.js';
import type { RecordSink } from './open-output.js';
import type { StopController } from './stop.js';
import { settleRow } from './unexpected-stop.js';
import { GarbageNudge, memoryRoom } from '../process/memory-room.js';
import type { RowText } from '../io/row-text.js';

// The window's other bound, in characters, and what collects the garbage large records leave: memory-room.ts.
export { WINDOW_CHARACTERS } from '../process/memory-room.js';

// mend.ts tells the guard of its rows as the pipeline does: the pipeline's guardRow, there since before row-count.ts.
export { guardRow } from './row-count.js';

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
  format(record: InputRecord, outcome: Outcome): RowText;
  output: RecordSink;
  stop: StopController;
  guard: ErrorGuard;
  totals: Totals;
  /** Told each row counted scored, with the totals: the whole output's counts per label (state/label-counts.ts). */
  labels?: { scored(label: string): void };
  /** Told of each record once its text is in the output (pass-through ones too): a row its write refused is not counted. */
  onWritten?(record: InputRecord, outcome: Outcome): void;
  /** Where writing starts; advanced in place as rows are written (the progress line reads it). */
  position: Position;
  /** Records read but not yet written, at most: bounds memory and the reorder wait. */
  window: number;
  /**
   * The characters of records read and not yet written, at most (a record larger is read alone), and what collects
   * garbage as records are written: this process's memory room (memory-room.ts) unless given.
   */
  room?: PipelineRoom;
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
  /** A lone CR ends a record (CSV/TSV): a last record ended by one is whole (last-row-ending.ts mayBeUnfinished). */
  crEndsRecords?: boolean;
}

export interface PipelineRoom {
  windowCharacters: number;
  garbage?: GarbageNudge;
}

/** The room of this process: the window's characters from its memory limit, and collections under a small one. */
function processRoom(): PipelineRoom {
  const room = memoryRoom();
  return { windowCharacters: room.windowCharacters, garbage: new GarbageNudge(room.collectEvery) };
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
  /** The last record written ended with a line feed, or none was written (last-row-ending.ts: complete-output.ts asks). */
  lastRowEnded: boolean;
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
  const room = options.room ?? processRoom();
  const writes = new OrderedWrites(options, room.garbage);

  // The grace period starts when the stop is asked for, even if we are waiting on a slow row then.
  const endGrace = stop.graceAfterStop(options.graceMs);

  const iterator = options.records[Symbol.asyncIterator]();
  let readError: unknown;
  let inputChanged: unknown;
  try {
    readError = await intake(options, iterator, writes, room.windowCharacters);
    inputChanged = await writeRest(options, writes);
    // The output's last bytes, which a full disk may refuse as well: a fault as any other write's.
    position.outputBytes = await output.sync();
  } catch (error) {
    // A fault writing (a full disk under the partial output, the partial removed at a checkpoint): the rows read ahead
    // send nothing more, and the requests in flight are waited for (up to --grace), so the figures the fault's summary
    // reports count every request sent (they went on sending while the run unwound), as a mend's fault does (mend.ts).
    stop.fault(error);
    await Promise.allSettled(writes.pending());
    options.onFault?.(writes.read - writes.counted);
    throw error;
  } finally {
    endGrace();
  }
  const finished = writes.complete && !writes.blocked && writes.allWritten;
  const unwritten = writes.read - writes.counted;
  const lastRowEnded = writes.lastEnded;
  if (readError !== undefined) return { complete: false, position, unwritten, readError, lastRowEnded };
  return inputChanged === undefined ? { complete: finished, position, unwritten, lastRowEnded } : { complete: false, position, unwritten, inputChanged, lastRowEnded };
}

/**
 * Reads the records into the window, writing what can be written as they come, until the input ends (`writes.complete`),
 * a read fails (returned: the rows before it are written), a stop is asked for, or a row is abandoned.
 */
async function intake(options: PipelineOptions, iterator: AsyncIterator<InputRecord>, writes: OrderedWrites, windowCharacters: number): Promise<unknown> {
  const { stop } = options;
  let readError: unknown;
  try {
    for (;;) {
      if (stop.requested) {
        // The guard tripped on a row with none read past it (blank lines and repeated headers aside): if that was the input's
        // last, the output holds every row and is complete, judged over the whole job (completed-pass-summary.ts), as when the reader had
        // ended before (read ahead, as a Workers AI run reads): the embedded model, reading none ahead, left a .partial (exit 5).
        if (writes.stoppedByGuard() && writes.onlyNoDataLeft()) {
          writes.complete = await readerEnded(iterator, (record) => writes.add(makeSlot(record, options)), options.window, () => (writes.read += 1));
        }
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
        writes.complete = true;
        break;
      }
      writes.add(makeSlot(next.value, options));
      const draining = writes.drainHead(false);
      if (draining !== undefined) await draining;
      while ((writes.waiting >= options.window || writes.held >= windowCharacters) && writes.canWrite()) await writes.drainHead(true);
      if (writes.blocked) break;
    }
  } finally {
    if (!writes.complete && readError === undefined) await iterator.return?.();
  }
  return readError;
}

/**
 * After the intake: writes the rows left, a last row with no line feed once it is confirmed whole, and waits for the
 * requests of rows that cannot be written. Returns what `checkInputUnchanged` threw, if anything.
 */
async function writeRest(options: PipelineOptions, writes: OrderedWrites): Promise<unknown> {
  let inputChanged: unknown;
  while (writes.canWrite()) await writes.drainHead(true);
  if (writes.complete && writes.holdsLast()) {
    // The reader ended after it: whole, unless the input changed since (checked once its answer is in: the last moment).
    await writes.headSlot.promise;
    inputChanged = await options.checkInputUnchanged?.().then(
      () => undefined,
      (error: unknown) => error ?? new Error('the input changed'),
    );
    writes.lastConfirmed = inputChanged === undefined;
    while (writes.canWrite()) await writes.drainHead(true);
  }
  // A last record held (a stop came before the reader's end, or the input changed): its request is paid, its answer kept (the journal).
  if (!writes.blocked && writes.holdsLast()) await writes.headSlot.promise;
  // Rows after an abandoned one cannot be written, but requests in flight for them are paid for:
  // wait for their answers (kept by the journal), at most until the grace period aborts them.
  if (writes.blocked || writes.stoppedByGuard()) await Promise.all(writes.pending());
  return inputChanged;
}

/**
 * Whether the reader has no record left but ones that hold no data (up to `most`: blank lines, repeated headers), each
 * handed to `noData` (they need no request and count toward no error rate: they complete the output). A row it returns is
 * dropped, unwritten: the position stays before it, so the next run reads it again, as every row past a stop. It is
 * counted read (`dataRow`), so the summary's "read but not written" holds it (it did not). A read error there is the
 * next run's to meet.
 */
async function readerEnded(iterator: AsyncIterator<InputRecord>, noData: (record: InputRecord) => void, most: number, dataRow: () => void): Promise<boolean> {
  try {
    for (let read = 0; read <= most; read++) {
      const next = await iterator.next();
      if (next.done === true) return true;
      if (!holdsNoData(next.value)) {
        dataRow();
        return false;
      }
      noData(next.value);
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
