/**
 * The input bytes between the end of the last record handed out and the end of
 * the last chunk read, addressed by absolute offsets. Readers use it to give
 * each record its exact original bytes: `take(start, end)` returns them and
 * releases everything before `end`. Memory is one partial record plus a chunk.
 */
export class ByteWindow {
  #chunks: Buffer[] = [];
  /** Absolute offset of the first byte of `#chunks[0]`. */
  #start: number;
  /** Absolute offset just past the last byte pushed. */
  #end: number;

  constructor(startOffset: number) {
    this.#start = startOffset;
    this.#end = startOffset;
  }

  /** Absolute offset just past the last byte pushed. */
  get end(): number {
    return this.#end;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#end += chunk.length;
  }

  /** The byte at absolute offset `at` (still in the window), without releasing anything; undefined outside it. */
  byteAt(at: number): number | undefined {
    let position = this.#start;
    for (const chunk of this.#chunks) {
      if (at < position + chunk.length) return at >= position ? chunk[at - position] : undefined;
      position += chunk.length;
    }
    return undefined;
  }

  /** The bytes in [start, end); releases every byte before `end`. */
  take(start: number, end: number): Buffer {
    if (start < this.#start || end > this.#end || start > end) {
      throw new RangeError(`bytes [${start}, ${end}) are not in the window [${this.#start}, ${this.#end})`);
    }
    this.#drop(start);
    const parts: Buffer[] = [];
    let position = this.#start;
    for (const chunk of this.#chunks) {
      if (position >= end) break;
      const from = Math.max(start - position, 0);
      const to = Math.min(end - position, chunk.length);
      parts.push(chunk.subarray(from, to));
      position += chunk.length;
    }
    this.#drop(end);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Forgets whole chunks that end at or before `offset`. */
  #drop(offset: number): void {
    let dropped = 0;
    while (dropped < this.#chunks.length && this.#start + this.#chunks[dropped]!.length <= offset) {
      this.#start += this.#chunks[dropped]!.length;
      dropped++;
    }
    if (dropped > 0) this.#chunks.splice(0, dropped);
  }
}
