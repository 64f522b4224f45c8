import { fstatSync } from 'node:fs';
import { writeFullySync } from '../io/write-fully.js';
import { ExitCode } from '../errors.js';
import { streamRemedy } from './file-size-limit.js';
import { terminalHungUp } from './hung-up-terminal.js';

/**
 * Standard output and error carry the summary and the log (with `-o -`, the
 * records too). A write to them can fail: the reader went away (EPIPE: `| head`,
 * `| true`), or the file or device they go to refused (a full /var/log under a
 * cron line `>> file 2>&1`: ENOSPC; EIO). Node raises that as an 'error' event
 * on process.stdout or process.stderr, and unhandled it ended the process with
 * a stack trace and exit 1, "a bug", after a job that may well have completed.
 *
 * cli.ts watches both before anything is written, and the log's destinations
 * (log.ts) note their own failed writes here instead of throwing them from
 * whatever code logged. A failed stream is given up (later writes are dropped
 * or fail again, unheard); the command goes on, and at its end command-line.ts
 * asks {@link standardStreamFault} what to make of it. The records of `-o -`
 * are judged by stdout-output.ts itself, as they fail.
 */
export interface StandardStreamFailure {
  stream: 'standard output' | 'standard error';
  error: NodeJS.ErrnoException;
}

const failures: StandardStreamFailure[] = [];
let recordsOnStandardOutput = false;

/** Standard output carries the records (`-o -`): no line of ours may be added to it. */
export function markStandardOutputAsRecords(): void {
  recordsOnStandardOutput = true;
}

/** Whether a line about the streams may be written to `stream`: it still takes writes, and is not the records' channel. */
export function mayTellOn(stream: StandardStreamFailure['stream']): boolean {
  if (stream === 'standard output' && recordsOnStandardOutput) return false;
  return !failures.some((failure) => failure.stream === stream);
}

/** Records that a write to `stream` failed (the first failure of each stream is kept). */
export function noteStandardStreamFailure(stream: StandardStreamFailure['stream'], error: NodeJS.ErrnoException): void {
  if (!failures.some((failure) => failure.stream === stream)) failures.push({ stream, error });
}

/** Turns the 'error' events of process.stdout and process.stderr into notes (the command line's; a program embedding the job keeps its own). */
export function watchStandardStreams(): void {
  writeWhole(process.stdout);
  writeWhole(process.stderr);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => noteStandardStreamFailure('standard output', error));
  process.stderr.on('error', (error: NodeJS.ErrnoException) => noteStandardStreamFailure('standard error', error));
}

/** How much of a chunk writeWhole wrote before the kernel refused the rest, by the refusal. */
const writtenBeforeRefusal = new WeakMap<Error, number>();

/** The bytes of a refused write that reached the file first (0 for any other failure): the line counts them as written. */
export function bytesWrittenBefore(error: Error): number {
  return writtenBeforeRefusal.get(error) ?? 0;
}

type FileStream = NodeJS.WriteStream & { _write(chunk: Buffer, encoding: string, done: (error?: Error | null) => void): void };

/**
 * A stream into a regular file (`> scored.csv`, `>> log`) is Node's SyncWriteStream: one write(2) per chunk, whose count
 * it does not read. A write the file-size limit (`ulimit -f`) or a full disk cut short kept its first part and said
 * nothing: `score -o - > out.csv` whose last record crossed the limit ended 'Done', exit 0, the file cut (--help alike).
 * The rest is written until the kernel refuses it (EFBIG, ENOSPC), an 'error' as any refused write.
 */
function writeWhole(stream: NodeJS.WriteStream): void {
  const fd = (stream as { fd?: unknown }).fd;
  try {
    if (typeof fd !== 'number' || stream.constructor.name !== 'SyncWriteStream' || !fstatSync(fd).isFile()) return;
  } catch {
    return;
  }
  (stream as FileStream)._write = (chunk, _encoding, done) => {
    const progress = { written: 0 };
    try {
      writeFullySync(fd, chunk, progress);
    } catch (error) {
      if (error instanceof Error) writtenBeforeRefusal.set(error, progress.written);
      done(error as Error);
      return;
    }
    done();
  };
}

/**
 * The first failure that is a fault of the machine (the reader going away is
 * not, nor is a terminal that hung up: a job whose summary nobody reads is still done). undefined when the
 * streams took every write, or only lost their reader.
 */
export function standardStreamFault(): StandardStreamFailure | undefined {
  return failures.find((failure) => failure.error.code !== 'EPIPE' && !readerGone(failure));
}

/** A terminal that hung up (a closed window, a dropped SSH session) under a run that went on: its reader went away. */
function readerGone(failure: StandardStreamFailure): boolean {
  return failure.error.code === 'EIO' && terminalHungUp(failure.stream === 'standard output' ? 1 : 2);
}

/** The line that says a stream's writes were refused, once the command's work is done (command-line.ts). */
export function streamFaultWords(fault: StandardStreamFailure): string {
  return `could not write to ${fault.stream} (${fault.error.message}): what was printed there is lost (the command's work is done); ${streamRemedy(fault.error.code)}`;
}

/**
 * The summary a run writes to --summary-json, told of a stream that refused its writes: the process ends 74 for it
 * (command-line.ts), and the file said `exitCode: 0`, so a monitor reading it missed what cron's exit code said (a full
 * /var/log under `>> log 2>&1`). The work is done, so the status stays; the exit code and the line are the process's.
 * A write's failure is an 'error' event on a later tick: waited for once, as command-line.ts waits.
 */
export async function withStreamFault<T extends { exitCode: number; message?: string }>(summary: T): Promise<T> {
  if (summary.exitCode !== 0) return summary;
  await new Promise((resolve) => setImmediate(resolve));
  const fault = standardStreamFault();
  return fault ? { ...summary, exitCode: ExitCode.MachineFault, message: streamFaultWords(fault) } : summary;
}
