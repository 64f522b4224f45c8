import { once } from 'node:events';
import { MachineFaultError, SentimentBatchError, thrownText } from '../errors.js';
import { streamRemedy } from '../process/file-size-limit.js';
import { bytesWrittenBefore, markStandardOutputAsRecords } from '../process/standard-streams.js';
import { terminalHungUp } from '../process/hung-up-terminal.js';
import { emptyTotals } from '../state/totals.js';
import type { OpenedOutput } from './open-output.js';
import type { RowText } from '../io/row-text.js';

/**
 * `-o -`: the scored records go to standard output as they are written, in
 * input order. There is no file to fsync, truncate or rename, so such a run
 * keeps no checkpoint and cannot resume; `sync` only reports the bytes written.
 */
class StdoutOutput {
  /** Bytes handed to the stream: what `sync` reports, as the run's position. */
  private written = 0;
  /**
   * Bytes the stream said it wrote (each write's callback, without an error), plus the first part of a refused write
   * that reached the file: what a refusal's line says was written. `written` counted the refused chunk too, so under
   * `ulimit -f 2` the line said 1066 bytes of a file that holds 1024.
   */
  private taken = 0;
  private failure: Error | undefined;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    if (stream === process.stdout) markStandardOutputAsRecords();
    // A reader that goes away (`| head`) must end the run with a message, not an unhandled EPIPE.
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  get bytes(): number {
    return this.written;
  }

  async write(text: RowText): Promise<void> {
    for (const part of typeof text === 'string' ? [text] : text) await this.writeChunk(part, Buffer.byteLength(part, 'utf8'));
  }

  /** An oversized record's raw bytes, copied unparsed. */
  async writeBytes(bytes: Buffer): Promise<void> {
    await this.writeChunk(bytes, bytes.length);
  }

  private async writeChunk(chunk: string | Buffer, length: number): Promise<void> {
    if (this.failure) throw this.closedError();
    let flowing: boolean;
    try {
      flowing = this.stream.write(chunk, (error?: Error | null) => {
        this.taken += error ? bytesWrittenBefore(error) : length;
      });
    } catch (error) {
      // A closed pipe can fail the write at once (EPIPE) rather than through 'error'.
      this.failure = error instanceof Error ? error : new Error(thrownText(error));
      throw this.closedError();
    }
    this.written += length;
    if (!flowing) {
      // once(…, 'drain') rejects when the stream errors instead: either way, say it plainly.
      await once(this.stream, 'drain').catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(thrownText(error));
      });
      if (this.failure) throw this.closedError();
    }
  }

  async flush(): Promise<void> {
    // Nothing is buffered here: every write went to the stream.
  }

  async sync(): Promise<number> {
    return this.written;
  }

  async close(): Promise<void> {
    // process.stdout is never closed by us; what was written is flushed by Node before exit.
  }

  /**
   * The reader going away is the command's (exit 2); a full disk or a failing device where the records go is the machine's (74).
   * A terminal that hung up under a run in a session of its own (EIO) is a reader gone, as `| head`'s: it ended 74 with
   * "free space where it goes" (standard-streams.ts treats it so for the log).
   */
  private closedError(): SentimentBatchError {
    const code = (this.failure as NodeJS.ErrnoException | undefined)?.code;
    const rest = `after ${this.taken} bytes (${this.failure?.message}); the rest of the records were not written`;
    if (code === undefined || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || (code === 'EIO' && terminalHungUp(1))) return new SentimentBatchError('config', `standard output was closed ${rest}`);
    return new MachineFaultError(code, `could not write to standard output ${rest}: ${streamRemedy(code)}`);
  }
}

/** The output of a `-o -` run: always fresh, starting with the header. */
export async function openStdoutOutput(header: string, firstRecordOffset: number): Promise<OpenedOutput> {
  const file = new StdoutOutput();
  await file.write(header);
  return { file, totals: emptyTotals(), start: { inputOffset: firstRecordOffset, outputBytes: await file.sync(), nextIndex: 0 } };
}
