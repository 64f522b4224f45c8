import { holdsNoData, type InputRecord, type Outcome } from '../io/record.js';
import type { RowResult } from './dedupe.js';
import { mayBeUnfinished } from './last-row-ending.js';
import type { PipelineOptions } from './pipeline.js';
import type { GarbageNudge } from '../process/memory-room.js';
import { countRow } from './row-count.js';
import { rowBytes, type RowText } from '../io/row-text.js';

/** One record read, with its row's result once settled. */
export interface Slot {
  record: InputRecord;
  result: RowResult | undefined;
  promise: Promise<RowResult> | undefined;
}

/**
 * The reorder window of one pass (pipeline.ts): the records read, answered in any order, written strictly in input
 * order, the position and the counts following each row written, and a checkpoint every `checkpointIntervalMs`.
 */
export class OrderedWrites {
  private readonly slots: Slot[] = [];
  private head = 0;
  // Elapsed time (performance.now), not the wall clock: a clock set back an hour mid-run (NTP, `date -s`) stopped every
  // checkpoint for that hour, leaving the rows written meanwhile unsynced and the answer journal growing.
  private lastCheckpoint = performance.now();
  /** An abandoned row: nothing after it may be written. */
  blocked = false;
  // Records read (blank lines aside) and those counted as written: the difference is what a stop or fault leaves
  // unwritten (an abandoned row, those after it, or the one whose write the disk refused).
  read = 0;
  counted = 0;
  /** The reader ended after the last record read and the input was found unchanged then: that record is whole. */
  lastConfirmed = false;
  /** The reader ended. */
  complete = false;
  /**
   * The last record written ended with a line feed (mayBeUnfinished): true before any, as the pass begins at a
   * record's end. The one look per row written: `written` skips a periodic checkpoint after the last record read when
   * it did not end so, and the completion's checkpoint follows it (PipelineEnd `lastRowEnded`, last-row-ending.ts).
   */
  lastEnded = true;

  constructor(
    private readonly options: PipelineOptions,
    /** Told the characters of each record written: under a small memory limit it collects what they leave (memory-room.ts). */
    private readonly garbage?: GarbageNudge,
  ) {}

  /** The characters of the records read and not yet written (their raw text and any oversized head): heldBytes(). */
  held = 0;

  /** A record read, at the window's end. */
  add(slot: Slot): void {
    this.slots.push(slot);
    this.held += heldSize(slot.record);
    if (!slot.record.passThrough) this.read += 1;
  }

  /** Records read and not yet written. */
  get waiting(): number {
    return this.slots.length - this.head;
  }

  /** Every record read is written. */
  get allWritten(): boolean {
    return this.head === this.slots.length;
  }

  /** The oldest record not yet written. */
  get headSlot(): Slot {
    return this.slots[this.head] as Slot;
  }

  /** The requests of the rows not yet written (some settled, some in flight). */
  pending(): (Promise<RowResult> | undefined)[] {
    return this.slots.slice(this.head).map((slot) => slot?.promise);
  }

  /**
   * The head slot is the last record read, has no line feed and is not confirmed whole: it is not written yet. A record
   * read after it proves it ended (a CR alone then ends it: no LF follows); the reader's end, and the input unchanged
   * then, prove it too. Otherwise a checkpoint (periodic, or a stop's at the end) would stand inside a row a writer has
   * not finished, which the next run's proof finds longer: it would start the whole job over, every row paid again.
   */
  holdsLast(): boolean {
    return this.head === this.slots.length - 1 && !this.lastConfirmed && mayBeUnfinished((this.slots[this.head] as Slot).record, this.options.crEndsRecords);
  }

  /**
   * The error guard stopped the run (too many rows failed): the output ends at the row that tripped it, whatever was
   * read past it. A Workers AI run holds up to `window` rows read ahead, settled or answered by then; written, they
   * completed the output of a file whose rest fitted in that window (exit 0), where the embedded model, which reads
   * none ahead, stopped at the row (exit 5): the same file judged two ways. Answers received past it stay in the
   * journal for the next run, which continues there.
   */
  stoppedByGuard(): boolean {
    return this.options.stop.reason?.kind === 'too_many_errors';
  }

  /**
   * The guard's stop left only records that hold no data (blank lines, a repeated header: io/record.ts holdsNoData) and
   * the reader ended after them: written, they complete the output. Left out, a file ending in a blank line or in the
   * header of files joined with cat was stopped (exit 5, a .partial) where the same rows without it were done.
   */
  onlyNoDataLeft(): boolean {
    return this.slots.slice(this.head).every((slot) => holdsNoData(slot.record));
  }

  private noDataToEnd(): boolean {
    return this.complete && this.onlyNoDataLeft();
  }

  /** A row is waiting at the head and may be written: none abandoned before it, no guard's stop (but for noDataToEnd), and it is not a last row held back. */
  canWrite(): boolean {
    return this.head < this.slots.length && !this.blocked && (!this.stoppedByGuard() || this.noDataToEnd()) && !this.holdsLast();
  }

  /**
   * Writes the settled rows at the head; with `wait`, waits for the head row first. Returns a promise only when a
   * row has to wait (writeSlot, or the head row's answer with `wait`).
   */
  drainHead(wait: boolean): Promise<void> | undefined {
    while (this.canWrite()) {
      const slot = this.slots[this.head] as Slot;
      const result = slot.result;
      if (result === undefined) {
        if (!wait) return undefined;
        return (slot.promise as Promise<RowResult>).then((settled) => this.afterWrite(this.take(slot, settled)));
      }
      const writing = this.take(slot, result);
      if (writing !== undefined) return this.afterWrite(writing);
      wait = false;
    }
    if (this.head > 4096 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head);
      this.head = 0;
    }
    return undefined;
  }

  /** Takes the head slot off (released for the garbage collector) and writes its row. */
  private take(slot: Slot, result: RowResult): Promise<void> | undefined {
    this.slots[this.head] = undefined as unknown as Slot;
    this.head += 1;
    const size = heldSize(slot.record);
    this.held -= size;
    this.garbage?.passed(size);
    return this.writeSlot(slot, result);
  }

  /** The rows after one written: drainHead goes on without waiting, once that row's write is done. */
  private afterWrite(writing: Promise<void> | undefined): Promise<void> | undefined {
    return writing === undefined ? this.drainHead(false) : writing.then(() => this.drainHead(false));
  }

  /**
   * Writes one row. Returns a promise only when the row has to wait (a flush, a checkpoint, a transient failure
   * listed, an oversized record's head): most rows are written without one (a promise per row was part of the cost).
   */
  private writeSlot(slot: Slot, result: RowResult): Promise<void> | undefined {
    const { options } = this;
    if (result.kind === 'abandoned') {
      this.blocked = true;
      return undefined;
    }
    const text = options.format(slot.record, result);
    const outputStart = options.output.bytes;
    if ((result.kind === 'failed' && result.failure.transient && options.onTransientFailure) || slot.record.rawHead !== undefined) {
      return this.writeSlowly(slot, result, text, outputStart);
    }
    const writing = options.output.write(text);
    return writing === undefined ? this.written(slot, result, outputStart) : writing.then(() => this.written(slot, result, outputStart));
  }

  /** writeSlot for a row with something to do before its text is written. */
  private async writeSlowly(slot: Slot, result: Outcome, text: RowText, outputStart: number): Promise<void> {
    const { options } = this;
    const { output, position } = options;
    if (result.kind === 'failed' && result.failure.transient && options.onTransientFailure) {
      await output.flush();
      const row = { index: slot.record.index, inputStart: position.inputOffset, inputEnd: slot.record.byteEnd, outputStart, outputEnd: outputStart + rowBytes(text), code: result.failure.code, ...(result.duplicate ? { duplicate: true } : {}) };
      await options.onTransientFailure(row);
    }
    for (const bytes of slot.record.rawHead ?? []) await output.writeBytes(bytes);
    await output.write(text);
    await this.written(slot, result, outputStart);
  }

  /** The row's text is handed to the output: the position and the counts follow it, and a checkpoint when one is due. */
  private written(slot: Slot, result: Outcome, outputStart: number): Promise<void> | undefined {
    const { options } = this;
    const { position } = options;
    position.lastInputStart = position.inputOffset;
    position.lastOutputStart = outputStart;
    position.inputOffset = slot.record.byteEnd;
    position.nextIndex = slot.record.passThrough ? position.nextIndex : slot.record.index + 1;
    if (!slot.record.passThrough) {
      countRow(options, result);
      this.counted += 1;
    }
    options.onWritten?.(slot.record, result);
    // A last record with no line feed, confirmed whole (pipeline.ts writeRest), gets no checkpoint of its own: the completion's follows it
    // (were the input to change in between, the checkpoint would stand after it: see holdsLast).
    this.lastEnded = !mayBeUnfinished(slot.record, options.crEndsRecords);
    const unfinishedLast = this.head === this.slots.length && !this.lastEnded;
    if (!unfinishedLast && performance.now() - this.lastCheckpoint >= options.checkpointIntervalMs) {
      this.lastCheckpoint = performance.now();
      return options.output.sync().then((outputBytes) => options.checkpoint({ ...position, outputBytes }));
    }
    return undefined;
  }
}

/** What a record read holds in memory until written: its raw text, and an oversized record's head buffers. */
function heldSize(record: Slot['record']): number {
  let size = record.raw.length;
  for (const part of record.rawHead ?? []) size += part.length;
  return size;
}
