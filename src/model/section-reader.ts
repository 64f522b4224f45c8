/**
 * Reads the model file's binary sections one after the other, as typed-array
 * views where it can (no copy on a little-endian host), checking that every
 * section lies inside the file and that nothing is left over.
 */
import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export class SectionReader {
  private offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.offset = start;
  }

  /** `count` little-endian int16 values. */
  int16(count: number, what: string): Int16Array {
    const at = this.take(count * 2, what);
    if (LITTLE_ENDIAN_HOST && (this.bytes.byteOffset + at) % 2 === 0) return new Int16Array(this.bytes.buffer, this.bytes.byteOffset + at, count);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + at, count * 2);
    return Int16Array.from({ length: count }, (_, i) => view.getInt16(i * 2, true));
  }

  /** `count` little-endian float64 values. */
  float64(count: number, what: string): Float64Array {
    const at = this.take(count * 8, what);
    if (LITTLE_ENDIAN_HOST && (this.bytes.byteOffset + at) % 8 === 0) return new Float64Array(this.bytes.buffer, this.bytes.byteOffset + at, count);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + at, count * 8);
    return Float64Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true));
  }

  /** The next `length` bytes as they are. */
  raw(length: number, what: string): Uint8Array {
    const at = this.take(length, what);
    return this.bytes.subarray(at, at + length);
  }

  /** Throws unless every byte of the file has been read. */
  finish(): void {
    if (this.offset !== this.bytes.length) {
      throw new Error(`it holds ${this.bytes.length - this.offset} bytes after the sections its header announces`);
    }
  }

  private take(length: number, what: string): number {
    if (this.offset + length > this.bytes.length) {
      throw new Error(`its header announces ${length} bytes of ${what}, but only ${Math.max(0, this.bytes.length - this.offset)} remain in the file`);
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }
}
