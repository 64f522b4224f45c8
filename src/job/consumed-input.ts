import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ConsumedSegment } from '../state/checkpoint.js';

/** The first segment of a job ends here (or where its first run stops): a new export is told apart by reading this much. */
export const FIRST_SEGMENT_BYTES = 64 * 1024;

/**
 * The sha256 of the input bytes a job has consumed, as the checkpoint records them (`consumed`): what tells the same
 * input from another when its file times do not (a copy made without keeping them, `gzip x.csv` then `score x.csv.gz`).
 *
 * Offsets count decompressed bytes, as the checkpoint's position does, so a plain file and its gzip agree. The hashed
 * bytes are the very ones the reader parsed (the streams it reads from pass through `tap`; a fresh job's header, the
 * bytes the header's read parsed: source.ts `headerBytes`), never a second read of the file, which could see another
 * version: a file rewritten mid-run must not be recorded as the bytes the output was made from. A hash cannot be saved and continued, so each run hashes its own segment, from where it starts to where its
 * checkpoint stands, and the checkpoint lists the earlier runs' segments before it (same-input.ts reads them all again).
 *
 * The reader reads ahead of what is written: the bytes between the written and the read offset are kept (the read-ahead
 * window's records hold them anyway) until the rows they belong to are written (`advanceTo`).
 */
export class ConsumedInput {
  /** Bytes from `hashedTo` to `seenEnd`, in order. */
  #pending: Buffer[] = [];
  #hashedTo: number | undefined;
  /** Where the rows written end: bytes before it are no longer needed but may not be hashed yet (`at` hashes them). */
  #target = 0;
  #seenEnd: number | undefined;
  /** The stream whose bytes are kept; another one is attached only where the kept bytes end (a reader opened again). */
  #active: object | undefined;
  #begun = false;
  /** Bytes a run did not see in order (a gap): nothing is recorded for this job until it starts over. */
  #broken = false;
  #stopped = false;
  #earlier: ConsumedSegment[] = [];
  #segmentStart = 0;
  #hash: Hash = createHash('sha256');

  /** `stream` read from decompressed offset `startOffset`: the same bytes, also seen here. */
  tap(stream: Readable, startOffset: number): Readable {
    const id = {};
    let offset = startOffset;
    const seen = (chunk: Buffer): void => {
      const at = offset;
      offset += chunk.length;
      this.#see(id, chunk, at);
    };
    const passing = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        seen(chunk);
        callback(null, chunk);
      },
    });
    passing.on('close', () => {
      if (this.#active === id) this.#active = undefined;
      stream.destroy();
    });
    stream.on('error', (error) => passing.destroy(error));
    return stream.pipe(passing);
  }

  /**
   * The run writes from `offset` on. `earlier`: the segments of the runs before, which end there (a resumed job); none for
   * a fresh job, whose bytes before the first record (a CSV header) are `header`, hashed first. Undefined `earlier` on a
   * resume (a checkpoint of an older version, which recorded none): nothing is recorded for this job.
   */
  begin(offset: number, start: { earlier: ConsumedSegment[] | undefined } | { header: Buffer }): void {
    this.#begun = true;
    if ('header' in start) {
      if (start.header.length !== offset) this.#broken = true;
      else this.#hash.update(start.header);
    } else if (start.earlier === undefined || (start.earlier.at(-1)?.end ?? 0) !== offset) {
      this.#broken = true;
    } else {
      this.#earlier = [...start.earlier];
      this.#segmentStart = offset;
    }
    if (this.#seenEnd === undefined || this.#hashedTo === undefined || offset < this.#hashedTo || offset > this.#seenEnd) {
      this.#pending = [];
      this.#active = undefined;
      this.#seenEnd = offset;
    } else {
      this.#drop(offset - this.#hashedTo);
    }
    this.#hashedTo = offset;
    this.#target = offset;
  }

  /**
   * The rows up to decompressed offset `offset` are written: the bytes kept before it are let go, hashed (whole chunks as
   * they come, the rest when a checkpoint asks: one hash update per chunk read, not one per row).
   */
  advanceTo(offset: number): void {
    if (!this.#begun || this.#broken || this.#stopped || offset <= this.#target) return;
    if (offset > (this.#seenEnd as number)) {
      this.#broken = true;
      return;
    }
    this.#target = offset;
    let end = this.#hashedTo as number;
    for (const chunk of this.#pending) {
      if (end + chunk.length > offset) break;
      end += chunk.length;
    }
    this.#hashTo(end);
  }

  /** The segments to record with a checkpoint at `offset`; undefined when this job's bytes cannot be told (see `begin`). */
  at(offset: number): ConsumedSegment[] | undefined {
    this.advanceTo(offset);
    if (!this.#begun || this.#broken || this.#target !== offset) return undefined;
    this.#hashTo(offset);
    if (offset === this.#segmentStart) return [...this.#earlier];
    return [...this.#earlier, { end: offset, sha256: this.#hash.copy().digest('hex') }];
  }

  /** Hashes the kept bytes up to `end`. The job's first segment is cut at FIRST_SEGMENT_BYTES: a new export's is told apart from it cheaply. */
  #hashTo(end: number): void {
    const from = this.#hashedTo as number;
    if (end <= from) return;
    if (this.#earlier.length === 0 && this.#segmentStart === 0 && from < FIRST_SEGMENT_BYTES && end >= FIRST_SEGMENT_BYTES) {
      this.#hashBytes(FIRST_SEGMENT_BYTES - from);
      this.#earlier.push({ end: FIRST_SEGMENT_BYTES, sha256: this.#hash.digest('hex') });
      this.#hash = createHash('sha256');
      this.#segmentStart = FIRST_SEGMENT_BYTES;
      this.#hashedTo = FIRST_SEGMENT_BYTES;
    }
    this.#hashBytes(end - (this.#hashedTo as number));
    this.#hashedTo = end;
  }

  /** No more bytes are kept (the output is complete: a mend's reads are no consumption). */
  stop(): void {
    this.#stopped = true;
    this.#pending = [];
  }

  #see(stream: object, chunk: Buffer, at: number): void {
    if (this.#stopped || this.#broken) return;
    if (this.#active !== stream) {
      if (this.#active !== undefined) return;
      if (this.#seenEnd === undefined) {
        this.#seenEnd = at;
        this.#hashedTo = at;
      } else if (at > this.#seenEnd) return;
      this.#active = stream;
    }
    const seenEnd = this.#seenEnd as number;
    if (at > seenEnd) {
      this.#broken = true;
      this.#pending = [];
      return;
    }
    if (at + chunk.length <= seenEnd) return;
    this.#pending.push(chunk.subarray(seenEnd - at));
    this.#seenEnd = at + chunk.length;
  }

  /** Hashes the next `count` kept bytes and lets them go. */
  #hashBytes(count: number): void {
    while (count > 0) {
      const head = this.#pending[0] as Buffer;
      const take = Math.min(count, head.length);
      this.#hash.update(take === head.length ? head : head.subarray(0, take));
      this.#consumeHead(take);
      count -= take;
    }
  }

  #drop(count: number): void {
    while (count > 0) {
      const take = Math.min(count, (this.#pending[0] as Buffer).length);
      this.#consumeHead(take);
      count -= take;
    }
  }

  #consumeHead(take: number): void {
    const head = this.#pending[0] as Buffer;
    if (take === head.length) this.#pending.shift();
    else this.#pending[0] = head.subarray(take);
  }
}
