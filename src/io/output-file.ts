import { lstat, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { withPath } from '../machine-fault.js';
import { createFresh, isSymlinkRefusal, openExistingNoFollow } from '../state/no-follow.js';
import { handleCrc32 } from '../state/output-crc.js';
import type { RowText } from './row-text.js';
import { writeFully } from './write-fully.js';

/** Flush to the file once this many bytes are buffered: few syscalls, bounded memory. */
const FLUSH_AT_BYTES = 256 * 1024;
/** Room for a text of a third of this many UTF-16 units, or more, on top of FLUSH_AT_BYTES. */
const BUFFER_BYTES = FLUSH_AT_BYTES + 64 * 1024;

/**
 * The `<output>.partial` file. Text is buffered and written in large chunks;
 * `bytes` counts what has been handed to `write` (flushed or not), `durableBytes`
 * what is written and fsynced, which is the only length a checkpoint may record.
 */
export class OutputFile {
  /**
   * Each text is encoded as UTF-8 straight into this buffer (Buffer#write gives its byte count too): once, where
   * joining the texts, then encoding the join, and measuring each with Buffer.byteLength went over every character
   * three times (a third of a JSONL job's CPU time in a profile of 100 MB of reviews).
   */
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private written = 0;
  private synced = 0;
  /**
   * The CRC-32 of the `written` bytes, and of the `synced` ones: updated with them, so that a checkpoint records the
   * CRC of exactly the length it records (job/job-checkpoint.ts), without reading back what was written.
   */
  private writtenCrc: number;
  private syncedCrc: number;

  private constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    startBytes: number,
    startCrc: number,
  ) {
    this.written = startBytes;
    this.synced = startBytes;
    this.writtenCrc = startCrc;
    this.syncedCrc = startCrc;
  }

  /** Creates the file anew (whatever was at the path, a symlink included, is unlinked, never followed). */
  static async create(file: string): Promise<OutputFile> {
    return new OutputFile(await createFresh(file), file, 0, 0);
  }

  /**
   * Opens an existing partial output to continue it after `length` bytes; what
   * follows (written after the last checkpoint) is cut off. Returns undefined
   * when the file is missing, a symlink or shorter than `length` (it cannot be trusted). `crc`: the CRC-32 of those
   * `length` bytes as the checkpoint records it, proven against the file before (prove-checkpoint.ts); without one (a
   * checkpoint of an older version, or a completed job's continued for its grown export), it is read from the file.
   */
  static async resume(file: string, length: number, crc?: number): Promise<OutputFile | undefined> {
    let handle: FileHandle;
    let startCrc: number;
    try {
      handle = await openExistingNoFollow(file, 'read-write', { jobFile: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || isSymlinkRefusal(error)) return undefined;
      throw error;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile() || stats.size < length) {
        await handle.close();
        return undefined;
      }
      await handle.truncate(length);
      await handle.sync();
      startCrc = crc ?? (await handleCrc32(handle, length));
    } catch (error) {
      // A refused cut, fsync or read (a failing disk) is the caller's to report; the handle is closed here, not left open
      // until garbage collection (which Node does with a warning on standard error).
      await handle.close().catch(() => undefined);
      throw error;
    }
    return new OutputFile(handle, file, length, startCrc);
  }

  get bytes(): number {
    return this.written + this.used;
  }

  get durableBytes(): number {
    return this.synced;
  }

  /** The CRC-32 of the file's first `bytes` bytes, when those are the durable ones (the length a checkpoint records); else undefined. */
  crc32At(bytes: number): number | undefined {
    return bytes === this.synced ? this.syncedCrc : undefined;
  }

  /**
   * Buffers `text`; returns a promise only when it has to wait for the file (a flush): most rows are written
   * without one, and a promise per row was part of the job's cost.
   */
  write(text: RowText): Promise<void> | undefined {
    if (typeof text !== 'string') return this.writeParts(text);
    // A UTF-16 unit takes at most 3 bytes (a surrogate pair 4 for two): with that much room, nothing is cut.
    if (text.length * 3 > BUFFER_BYTES - this.used) return this.writeAfterFlush(text);
    this.used += this.buffer.write(text, this.used, 'utf8');
    return this.used >= FLUSH_AT_BYTES ? this.flush() : undefined;
  }

  /** A huge row's parts (row-text.ts), each written as a text of its own. */
  private async writeParts(parts: readonly string[]): Promise<void> {
    for (const part of parts) await this.write(part);
  }

  /** A text the buffer has no room left for: after what is buffered, and on its own if no buffer holds it. */
  private async writeAfterFlush(text: string): Promise<void> {
    await this.flush();
    if (text.length * 3 > BUFFER_BYTES) {
      // Through the buffer a slice at a time: the whole text encoded at once was one more copy of a huge record
      // (11.6 MB beside its raw, text and line: the OOM killer at 128 MiB, fuzz34).
      for (let start = 0; start < text.length; ) {
        const end = sliceEnd(text, start, Math.floor(FLUSH_AT_BYTES / 3));
        this.used += this.buffer.write(text.slice(start, end), this.used, 'utf8');
        await this.flush();
        start = end;
      }
      return;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    if (this.used >= FLUSH_AT_BYTES) await this.flush();
  }

  /** Writes bytes as they are (an oversized record's head), after the text handed in before them. */
  async writeBytes(bytes: Buffer): Promise<void> {
    await this.flush();
    await this.writeAll(bytes);
    this.written += bytes.length;
    this.writtenCrc = crc32(bytes, this.writtenCrc);
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    // A new buffer for the texts written while this one is on its way to the file.
    const buffer = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
    await this.writeAll(buffer);
    this.written += buffer.length;
    this.writtenCrc = crc32(buffer, this.writtenCrc);
  }

  /** Writes all of `bytes` at `written` (io/write-fully.ts: a write the file system took only in part goes on). */
  private async writeAll(bytes: Buffer): Promise<void> {
    await writeFully(this.handle, bytes, this.written).catch((error: unknown) => {
      throw withPath(error, this.file); // a full disk is reported with the file it filled
    });
  }

  /** Flushes and fsyncs: afterwards `durableBytes` bytes survive a crash of the machine. */
  async sync(): Promise<number> {
    await this.flush();
    await this.handle.sync().catch((error: unknown) => {
      throw withPath(error, this.file);
    });
    this.synced = this.written;
    this.syncedCrc = this.writtenCrc;
    return this.synced;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /**
   * Whether the file is no longer at its path (removed, moved away or replaced meanwhile: by hand, a cleanup of
   * the folder): what is written to it then goes nowhere the job will look.
   */
  async removed(): Promise<boolean> {
    const [mine, there] = await Promise.all([this.handle.stat(), lstat(this.file).catch(() => undefined)]);
    return mine.nlink === 0 || there === undefined || there.ino !== mine.ino || there.dev !== mine.dev;
  }
}

/** Where a slice of at most `chars` UTF-16 units from `start` ends, never between the two halves of a surrogate pair. */
function sliceEnd(text: string, start: number, chars: number): number {
  const end = Math.min(text.length, start + chars);
  const last = text.charCodeAt(end - 1);
  return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}
