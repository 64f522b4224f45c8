import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { isatty } from 'node:tty';
import { createGunzip } from 'node:zlib';
import { ConfigError, InputError } from '../errors.js';
import { cutShort } from './cut-short.js';
import { detectFormat, STDIN_PATH, type InputFormat } from './format.js';
import { whyUnreadable } from '../wording/unreadable-file.js';
import { statOrUndefined } from '../paths/same-file.js';
import { readAt } from '../paths/file-ends.js';
import { folderInputAdvice, scoredFolderAdvice } from './folder-input.js';
import { notUtf8NameWhy } from './not-utf8-name.js';
import { danglingLinkWhy } from './dangling-link-input.js';
import { emptyMountWhy } from './empty-mount-input.js';
import { peekFile } from './peek-file.js';
import { startsAsGzip } from './gzip-magic.js';
import { ReadToSize } from './read-to-size.js';

/** Options of {@link openInput}. */
export interface OpenInputOptions {
  /** Decompress the input with gunzip (offsets then count decompressed bytes). */
  gzip: boolean;
  /**
   * Offset in the decompressed input where the returned stream starts.
   * A plain file seeks there; a gzip file is decompressed from its start and
   * the first `startOffset` bytes are discarded. Standard input only supports 0.
   * @default 0
   */
  startOffset?: number;
  /** Bytes of each read of a file (not of a gzip file's decompressed chunks, nor of standard input). @default 64 KiB (Node's) */
  readChunkBytes?: number;
  /** Told the descriptor of the file opened (not for standard input), before any read: which file is read, whatever the path names later. */
  onOpen?: (fd: number) => void;
  /**
   * How a read or decompression failure names the input: as the user typed it (`plain.tgz`), where `path` is resolved;
   * `cannot decompress '/tmp/x/plain.tgz'` read as another file beside the run's other lines. @default path
   */
  label?: string;
}

/**
 * Opens the input (a file path or `-` for stdin) as a stream of decompressed
 * bytes that begins at `startOffset`. The file is opened synchronously so a
 * missing or unreadable file fails here, with the path and the OS's reason.
 * Later read or decompression failures are emitted as InputError.
 */
export function openInput(path: string, options: OpenInputOptions): Readable {
  const startOffset = options.startOffset ?? 0;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
    throw new RangeError(`startOffset must be a non-negative integer, got ${startOffset}`);
  }
  if (path === STDIN_PATH) {
    if (startOffset !== 0) {
      throw new ConfigError(
        `cannot resume standard input at byte ${startOffset}: stdin cannot be re-read; give the input as a file to resume, or start over with --restart`,
      );
    }
    return options.gzip ? decompress(process.stdin, 'standard input', 0) : process.stdin;
  }
  const fd = openReadable(path);
  options.onOpen?.(fd);
  const label = options.label ?? path;
  // Its bytes must reach the size it has now: a file cut short while it is read, then put back, is no end (read-to-size.ts).
  const size = fstatSync(fd).size;
  if (!options.gzip) {
    const file = createReadStream(path, { fd, start: startOffset, ...(options.readChunkBytes !== undefined ? { highWaterMark: options.readChunkBytes } : {}) });
    return relabelErrors(file, label, new ReadToSize(label, startOffset, size));
  }
  return decompress(createReadStream(path, { fd }), label, startOffset, new ReadToSize(label, 0, size));
}

/**
 * The format of an input the command is about to read (detectFormat). A path that names no format and is a
 * folder or a pipe (`score exports`, `score <(zcat x.gz)`) is refused for what it is (exit 3): asking for
 * --format first only led to that refusal on the next try.
 */
export function detectInputFormat(path: string, override?: InputFormat, formatFlag?: string): { format: InputFormat; gzip: boolean } {
  try {
    return detectFormat(path, override, formatFlag);
  } catch (error) {
    refuseNonFileInput(path);
    throw error;
  }
}

/**
 * The format and compression of the file a job reads (`readPath`) for the input as given (`input`): standard input's
 * copy has no name to say gzip, so its first bytes do (1f 8b, which no UTF-8 text starts with), as
 * `gzip -c x.csv | sentiment-batch score - --format csv` expects; it was refused as text that is not UTF-8.
 */
export function readInputFormat(input: string, readPath: string, override?: InputFormat): { format: InputFormat; gzip: boolean } {
  const found = detectInputFormat(input, override);
  if (input !== STDIN_PATH || found.gzip) return found;
  return { format: found.format, gzip: startsAsGzip(peekFile(readPath, 2)) };
}

/** What a pipe or a device given as the input is told to do instead: `score` reads standard input. */
const SCORE_PIPE_ADVICE = "pipe it in as standard input instead ('... | sentiment-batch score - --format csv -o OUT')";

/**
 * Throws the InputError a folder, a pipe or a device at `path` is refused with (nothing for a regular file, a missing
 * path or standard input). `pipeAdvice`: what to do instead, for a command that cannot read standard input (report).
 */
export function refuseNonFileInput(path: string, pipeAdvice = SCORE_PIPE_ADVICE, what: InputKind = 'input'): void {
  if (path === STDIN_PATH) return;
  const info = statOrUndefined(path);
  if (info !== undefined) refuseNonFile(path, info, pipeAdvice, `'${path}'`, what);
}

/** What the file read is: an export to score (`input`), or an output to report on (`scored`), whose folder is named so. */
export type InputKind = 'input' | 'scored';

/**
 * Throws the InputError opening `path` would (missing, unreadable, a folder, a pipe); standard input passes.
 * `namedBy`: where the path came from when the user did not type it (a job file's "input", config/setting-names.ts
 * inputNamedBy), said after it: the resolved path alone did not tell which file to edit.
 */
export function assertInputReadable(path: string, namedBy?: string): void {
  if (path !== STDIN_PATH) closeSync(openReadable(path, namedBy));
}

function openReadable(path: string, namedBy?: string): number {
  const shown = namedBy === undefined ? `'${path}'` : `'${path}' (${namedBy})`;
  try {
    // Looked at before opening: opening a pipe that nobody writes to would wait for ever.
    refuseNonFile(path, statSync(path), SCORE_PIPE_ADVICE, shown);
    return openSync(path, 'r');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot open input file ${shown}: ${notUtf8NameWhy(path, error) ?? danglingLinkWhy(path, error) ?? emptyMountWhy(path, error) ?? whyUnreadable(error)}`, { cause: error });
  }
}

/** Only a regular file can be read twice (startup checks, checkpoint identity, resume). */
function refuseNonFile(path: string, info: Stats, pipeAdvice = SCORE_PIPE_ADVICE, shown = `'${path}'`, what: InputKind = 'input'): void {
  // In the words every unreadable file gets (wording/unreadable-file.ts: "it is a folder, not a file"), not "a directory".
  if (info.isDirectory()) {
    const advice = what === 'scored' ? scoredFolderAdvice(path) : folderInputAdvice(path);
    throw new InputError(`cannot read ${what} file ${shown}: it is a folder, not a file; ${advice}`);
  }
  // The terminal (`score /dev/stdin` with no `<`): the file was what was meant, not a pipe.
  if (isStdinTerminal(info)) throw new InputError(`cannot read input ${shown}: it is the terminal (standard input is not redirected), not a file: name the export's file instead`);
  if (!info.isFile()) throw new InputError(`cannot read input ${shown}: it is a pipe or a device, not a file; ${pipeAdvice}`);
}

/** Whether `info` is the terminal standard input is (/dev/stdin, /dev/fd/0 or its /dev/pts name, no `<` given). */
function isStdinTerminal(info: Stats): boolean {
  // isatty, not process.stdin: a refusal need not make standard input's stream.
  if (!info.isCharacterDevice() || !isatty(0)) return false;
  try {
    return fstatSync(0).rdev === info.rdev;
  } catch {
    return false;
  }
}

/**
 * The end of a gzip input's name as written (`.tgz`, `.TGZ`), for the words on a file that does not gunzip: a .tgz read
 * under --format was told to "check that it is a complete .gz file", a name it does not have. `.gz` otherwise.
 */
function gzipEnd(label: string): string {
  return /\.tgz$/i.exec(label)?.[0] ?? '.gz';
}

/** Gunzips `source` and drops the first `skip` decompressed bytes. */
function decompress(source: Readable, label: string, skip: number, toSize?: ReadToSize): Readable {
  const gunzip = createGunzip();
  const output = new SkipBytes(skip);
  source.on('error', (error) => output.destroy(readError(label, error)));
  toSize?.on('error', (error) => output.destroy(error));
  gunzip.on('error', (error: NodeJS.ErrnoException) => {
    // Z_BUF_ERROR: the compressed data stops before its end, as an export's does when cut short (cut-short.ts).
    // Standard input's copy (gzip told by its bytes) is named as what the user piped in: the copy is gone by the error line.
    const piped = label === STDIN_PATH;
    const failed = `cannot decompress ${piped ? 'standard input' : `'${label}'`} as gzip: ${error.message}`;
    const kind = `${gzipEnd(label)} file`;
    output.destroy(
      error.code === 'Z_BUF_ERROR'
        ? cutShort(`${failed}; ${piped ? 'standard input' : `the ${kind}`} ends before its compressed data does`, '', { joiner: ': ', cause: error })
        : new InputError(`${failed}; check that ${piped ? 'what was piped in is' : 'it is'} a complete ${piped ? 'gzip stream' : kind}`, { cause: error }),
    );
  });
  // When the consumer stops early, release the file and the inflater too.
  output.on('close', () => {
    if (source !== process.stdin) source.destroy();
    toSize?.destroy();
    gunzip.destroy();
  });
  (toSize ? source.pipe(toSize) : source).pipe(gunzip).pipe(output);
  return output;
}

/** A stream of the same bytes whose read errors are InputErrors naming the input. */
function relabelErrors(stream: Readable, label: string, output: Transform = new SkipBytes(0)): Readable {
  stream.on('error', (error) => output.destroy(readError(label, error)));
  output.on('close', () => stream.destroy());
  return stream.pipe(output);
}

function readError(label: string, error: Error): InputError {
  return new InputError(`cannot read input '${label}': ${whyUnreadable(error)}`, { cause: error });
}

/** Drops the first `remaining` bytes, then passes everything through unchanged. */
class SkipBytes extends Transform {
  #remaining: number;

  constructor(skip: number) {
    super();
    this.#remaining = skip;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#remaining === 0) {
      callback(null, chunk);
    } else if (chunk.length <= this.#remaining) {
      this.#remaining -= chunk.length;
      callback();
    } else {
      const rest = chunk.subarray(this.#remaining);
      this.#remaining = 0;
      callback(null, rest);
    }
  }
}

/** What the checkpoint records to recognise the same input file later. */
export interface InputIdentity {
  size: number;
  mtimeMs: number;
  /** sha256 (hex) of the first 64 KiB of the file as stored (compressed if gzip). */
  headHash: string;
  /** sha256 (hex) of the last 64 KiB of the file as stored. */
  tailHash: string;
}

/**
 * Which file an identity was taken of, and when it last changed: its device, inode and change time (ns), as decimal
 * strings (overlayfs gives inode numbers past 2^53). Recorded beside the identity, not in it (the journal and the answer
 * store are keyed by the identity): a file renamed over the input with the same size, modification time, head and tail
 * (`touch -r` then `mv`) has another inode; one rewritten in place, or created anew at a freed inode number, then given
 * the old modification time, has a later change time, which no user can set back (job/same-input.ts).
 */
export interface InputFileId {
  dev: string;
  ino: string;
  /** Absent in checkpoints written before it was recorded (device and inode alone then). */
  ctimeNs?: string;
}

const IDENTITY_WINDOW = 64 * 1024;

/** Size, mtime and hashes of the head and tail of a file (not stdin). */
export async function inputIdentity(path: string): Promise<InputIdentity> {
  return (await inputFile(path)).identity;
}

/** The identity of a file (inputIdentity) and the device and inode of the file it was read from. */
export async function inputFile(path: string): Promise<{ identity: InputIdentity; fileId: InputFileId }> {
  if (path === STDIN_PATH) {
    throw new ConfigError('standard input has no identity to checkpoint: give the input as a file to resume a run');
  }
  let handle;
  try {
    const info = await stat(path);
    handle = await open(path, 'r');
    const headLength = Math.min(IDENTITY_WINDOW, info.size);
    const tailStart = Math.max(0, info.size - IDENTITY_WINDOW);
    const head = Buffer.alloc(headLength);
    const tail = Buffer.alloc(info.size - tailStart);
    await readFully(handle, head, 0);
    await readFully(handle, tail, tailStart);
    // The file whose head and tail were read, whatever the path names by now.
    const opened = await handle.stat({ bigint: true });
    return { identity: { size: info.size, mtimeMs: info.mtimeMs, headHash: sha256(head), tailHash: sha256(tail) }, fileId: { dev: String(opened.dev), ino: String(opened.ino), ctimeNs: String(opened.ctimeNs) } };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read input file '${path}': ${whyUnreadable(error)}`, { cause: error });
  } finally {
    await handle?.close();
  }
}

/**
 * Whether the file at `path` (of `size` bytes) has the first and last 64 KiB an identity records: the same file, or a
 * copy of it made without its modification time (`cp -r`, a download). Synchronous, for the checks made before any work.
 */
export function sameStoredEnds(path: string, identity: Pick<InputIdentity, 'size' | 'headHash' | 'tailHash'>): boolean {
  const fd = openSync(path, 'r');
  try {
    const tailStart = Math.max(0, identity.size - IDENTITY_WINDOW);
    return sha256(readAt(fd, 0, Math.min(IDENTITY_WINDOW, identity.size))) === identity.headHash && sha256(readAt(fd, tailStart, identity.size - tailStart)) === identity.tailHash;
  } finally {
    closeSync(fd);
  }
}

async function readFully(handle: import('node:fs/promises').FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new InputError('the input file became shorter while it was being read');
    done += bytesRead;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
