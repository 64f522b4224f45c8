import type { InputRecord } from '../io/record.js';

/** Opens a record reader at a record boundary (`startIndex` numbers its first record). */
export type OpenRecords = (startOffset: number, startIndex: number) => AsyncIterable<InputRecord>;

/**
 * A gzip input cannot seek: reaching decompressed byte N means decompressing
 * the N bytes before it. Proving a checkpoint reads the record that ends where
 * the run resumes; keeping that reader open lets the resume continue it, so the
 * input is decompressed once instead of twice. The proof still comes first:
 * nothing is written or trusted before it, and the resume reads the very bytes
 * the proof read past (same file descriptor, same decompression).
 *
 * Only the next `records()` call may continue the kept reader, and only at the
 * offset where the proven record ends; any other call (a fresh start after a
 * failed proof, a partial output gone missing) closes it and opens a new one.
 * `release()` closes a reader nobody continued (already done, finish-rename,
 * a refusal).
 */
export class KeptReader {
  #kept: { iterator: AsyncIterator<InputRecord>; nextOffset: number } | undefined;

  /** `keep`: whether a proven reader is worth keeping (gzip); a plain file seeks for free. */
  constructor(
    private readonly open: OpenRecords,
    private readonly keep: boolean,
  ) {}

  /** The record starting at `offset`, or undefined when the input holds none; throws what the reader throws. */
  async recordAt(offset: number): Promise<InputRecord | undefined> {
    await this.release();
    const iterator = this.open(offset, 0)[Symbol.asyncIterator]();
    let next: IteratorResult<InputRecord>;
    try {
      next = await iterator.next();
    } catch (error) {
      await closeQuietly(iterator);
      throw error;
    }
    if (next.done === true) return undefined;
    if (this.keep) this.#kept = { iterator, nextOffset: next.value.byteEnd };
    else await closeQuietly(iterator);
    return next.value;
  }

  /** The records from `startOffset` on: the kept reader's when it stands there, else a new reader's. */
  records(startOffset: number, startIndex: number): AsyncIterable<InputRecord> {
    const kept = this.#kept;
    this.#kept = undefined;
    if (kept?.nextOffset === startOffset) return renumbered(kept.iterator, startIndex);
    if (kept === undefined) return this.open(startOffset, startIndex);
    return afterClosing(kept.iterator, () => this.open(startOffset, startIndex));
  }

  /** Closes a kept reader nobody continued. */
  async release(): Promise<void> {
    const kept = this.#kept;
    this.#kept = undefined;
    if (kept) await closeQuietly(kept.iterator);
  }
}

/**
 * The rest of a reader opened for the proof (numbered from 0 there): the
 * readers number records by counting from their start, so one shift makes the
 * first record `startIndex`, as a reader opened at this offset would.
 */
async function* renumbered(iterator: AsyncIterator<InputRecord>, startIndex: number): AsyncGenerator<InputRecord> {
  let shift: number | undefined;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      shift ??= startIndex - next.value.index;
      yield { ...next.value, index: next.value.index + shift };
    }
  } finally {
    await closeQuietly(iterator);
  }
}

async function* afterClosing(stale: AsyncIterator<InputRecord>, open: () => AsyncIterable<InputRecord>): AsyncGenerator<InputRecord> {
  await closeQuietly(stale);
  yield* open();
}

async function closeQuietly(iterator: AsyncIterator<InputRecord>): Promise<void> {
  // Closing only releases the file and the decompressor: an error there changes nothing read.
  await iterator.return?.().catch(() => {});
}
