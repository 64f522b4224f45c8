import { lstat } from 'node:fs/promises';
import { errorMessage, MachineFaultError } from '../errors.js';
import { withoutEndingAt } from '../io/ended-since.js';
import { RECORD_TOO_LARGE } from '../io/oversized-record.js';
import { readerOutcome, type InputRecord, type Outcome } from '../io/record.js';
import { failedRowsPathFor, listedUpTo, loadFailedRows } from '../mend/failed-rows.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { openExistingNoFollow } from '../state/no-follow.js';
import { fileCrc32 } from '../state/output-crc.js';
import { completedOutputPath, fileSha256 } from '../state/output-digest.js';
import type { Source } from './source.js';
import { typedPath } from '../wording/typed-path.js';
import { joinedRow } from '../io/row-text.js';

/**
 * A checkpoint is a claim about two files; before a run builds on it, the
 * claim is checked against them (cheaply: one record of each):
 * - the partial output (or, once complete, the output) is at least as long as
 *   recorded (exactly as long once complete), and a record ends exactly there;
 * - the input offset lies inside the input and ends the record that starts at
 *   the recorded last-record offset, and the last record written to the output
 *   is that input record's bytes with only the answer added;
 * - a complete checkpoint's offset is the input's end.
 * A hand-edited, stale or foreign checkpoint fails one of these, and the run
 * starts over instead of exiting 0 with rows missing, cut or doubled.
 */

/**
 * `grown`: a completed job whose input goes on after what it read (grown-input.ts): its output is proven as a partial one,
 * exactly as long, and as the bytes it completed. `grown-unrenamed`: the same, of its partial output still to be renamed
 * (killed between the completing checkpoint and the rename, the export grown again since). `grown-mending`: a completed
 * job's, as `done` proves it while a mend replaces its output (`mending`), of an input grown since (its end not checked):
 * the mend is finished, then the grown job proven as `grown` (grown-input.ts).
 */
export type ProvenKind = 'resume' | 'done' | 'finish-rename' | 'grown' | 'grown-unrenamed' | 'grown-mending';

export interface ProofContext {
  source: Pick<Source, 'recordAt' | 'formatRecord' | 'outputHeader' | 'firstRecordOffset' | 'compressed'>;
  /** Size of the input file (compressed size for gzip input, where offsets count decompressed bytes). */
  inputSize: number;
  partialPath: string;
  outputPath: string;
  /** The output as the user gave it: the problems name the job's files after it, as `Done: out.csv` does (typed-path.ts). */
  typedOutput?: string | undefined;
}

/** `file` (the output, or a file named after it) as the problems name it. */
const named = (file: string, ctx: Pick<ProofContext, 'typedOutput'>): string => typedPath(file, ctx.typedOutput);

/** Undefined when the files bear the checkpoint out; otherwise what disagrees. */
export async function checkpointProblem(checkpoint: Checkpoint, kind: ProvenKind, ctx: ProofContext): Promise<string | undefined> {
  const { position } = checkpoint;
  // The checks of a completed job's output, and of a mend replacing it, are the same for its input grown since.
  const done = kind === 'done' || kind === 'grown-mending';
  const file = done || kind === 'grown' ? ctx.outputPath : ctx.partialPath;
  const grown = kind === 'grown' || kind === 'grown-unrenamed';
  const inputGrown = grown || kind === 'grown-mending';
  const exact = kind !== 'resume';
  const stats = await lstat(file).catch(() => undefined);
  if (!stats) return `${named(file, ctx)} is missing`;
  if (!stats.isFile()) return `${named(file, ctx)} is not a regular file${stats.isSymbolicLink() ? ' (a symbolic link)' : ''}`;
  // A mend stopped while replacing the output leaves it as it was or as the mended copy (mend/finish-mend.ts).
  const mended = done && checkpoint.mending !== undefined && stats.size === checkpoint.mending.outputBytes;
  if (exact ? stats.size !== position.outputBytes && !mended : stats.size < position.outputBytes) {
    // The completed output at its path: a length the job never wrote is another file's, or the job's edited.
    if (done || kind === 'grown') return `${named(file, ctx)} holds ${stats.size} bytes, not the ${position.outputBytes} the completed job wrote: it is not the job's output (edited or replaced since)`;
    return `${named(file, ctx)} holds ${stats.size} bytes, the checkpoint recorded ${exact ? 'exactly ' : 'at least '}${position.outputBytes}`;
  }
  if (done && checkpoint.mending !== undefined && !mended) {
    // The output as it was before the mend: the copy to put in its place must be there, whole. Removed by hand as a
    // leftover, the replacement was taken as done: "Already done" with the mended rows counted as scored, still failed.
    const copy = await lstat(ctx.partialPath).catch(() => undefined);
    if (!copy?.isFile() || copy.size !== checkpoint.mending.outputBytes) {
      return `it records a mend replacing ${named(file, ctx)} with its mended copy ${named(ctx.partialPath, ctx)} of ${checkpoint.mending.outputBytes} bytes, but that copy ${copy?.isFile() ? `holds ${copy.size} bytes` : 'is gone'}`;
    }
  }
  if (done && checkpoint.mending !== undefined) {
    const problem = await mendingListProblem(checkpoint.mending.listedFailures, ctx);
    if (problem !== undefined) return problem;
  }
  if (!ctx.source.compressed) {
    if (position.inputOffset > ctx.inputSize) return `the input offset ${position.inputOffset} is past the input's end (${ctx.inputSize} bytes)`;
    // A --limit job is complete where its last record ends; only an unlimited one must reach the input's end.
    if (checkpoint.completed && !inputGrown && checkpoint.settings.limit === undefined && position.inputOffset !== ctx.inputSize) {
      return `it says complete at input offset ${position.inputOffset}, but the input has ${ctx.inputSize} bytes`;
    }
  }
  const { limit } = checkpoint.settings;
  // Complete, short of its record limit, or for a gzip input, which has no size to hold the offset to: the input must end
  // there. A gzip input is read on (decompressed whole) only before the rename, after a crash between the checkpoint and
  // it, never on "already done"; a plain one seeks. A paused job's checkpoint marked complete by hand was renamed as it
  // was, "Done" with 82 of 200 or 300 rows, exit 0 (and, renamed by hand too, "Already done" on a --limit job).
  const readOn = inputGrown ? false : limit === undefined ? kind === 'finish-rename' && ctx.source.compressed : kind !== 'resume' && position.nextIndex < limit && (kind === 'finish-rename' || !ctx.source.compressed);
  if (readOn) {
    const after = await firstRecordAt(ctx.source, position.inputOffset);
    const short = limit === undefined ? '' : `, its ${position.nextIndex} rows short of its record limit ${limit}`;
    if (typeof after !== 'string') return `it says complete at input offset ${position.inputOffset}, but the input goes on there${short}`;
  }
  // A finished output exists only after a complete partial was renamed; mending rewrites rows inside it (and
  // records its new length), and proving a gzip input would decompress it whole on every "already done": its exact
  // length, the offset at the input's end and the digest the completed checkpoint records must do. Without the digest a
  // label edited by hand at the same length was "already done", exit 0, the output not the job's result. A checkpoint of
  // an older release records none: "already done" as before. A mend replacing the output records its copy's digest, the
  // copy still to be renamed over the output or renamed already (completedOutputSha256 tells them apart the same way).
  if (done) {
    if (checkpoint.outputSha256 === undefined) return undefined;
    const completed = checkpoint.mending === undefined ? file : completedOutputPath(ctx);
    return completedOutputProblem(completed, checkpoint.outputSha256, ctx);
  }
  // A paused checkpoint of the release before 2026-12-04 records no count of listed rows but counts the rows that failed
  // transiently when sent, which are the rows its list holds but those marked "dup" (failed with an earlier row's answer,
  // never sent): the list is proven against that count instead, without them.
  const listedCounted = checkpoint.listedFailures !== undefined;
  const expected = checkpoint.listedFailures ?? checkpoint.failureCounts?.sentFailedTransient;
  if ((kind === 'resume' || grown) && expected !== undefined) {
    // A row failed transiently that the list lost (a line deleted, the list emptied or removed by hand) was never mended:
    // the job completed with it failed and took it for refused for its text, exit 0.
    const list = failedRowsPathFor(ctx.outputPath);
    // A folder there read as a list of 0 rows: the job started over ("holds 0 rows …"), its checkpoint rewritten, and
    // only then stopped at that folder, exit 74. Said first now, the checkpoint left as it was.
    if (expected > 0 && (await lstat(list).catch(() => undefined))?.isDirectory()) throw listIsFolder(list, expected);
    const listed = listedUpTo(list, position.outputBytes, { sentOnly: !listedCounted });
    const recorded = listedCounted ? `the checkpoint recorded ${expected}` : `the checkpoint counts ${expected} rows failed transiently`;
    if (listed !== expected) return `the list of failed rows ${named(list, ctx)} holds ${listed} rows of the partial output, ${recorded}`;
  }
  if (grown) {
    // Continued, every row of the output is kept as it is: one changed at the same length (a label edited by hand,
    // another file of that length put there) passed the checks above and was carried into the continued output.
    const problem = await completedOutputProblem(file, checkpoint.outputSha256, ctx);
    if (problem !== undefined) return problem;
  }
  const headerBytes = Buffer.byteLength(ctx.source.outputHeader, 'utf8');
  if (position.lastInputStart === undefined || position.lastOutputStart === undefined) {
    if (position.inputOffset !== ctx.source.firstRecordOffset || position.outputBytes !== headerBytes) {
      return 'it records written rows but not where the last of them starts';
    }
    const written = await readRange(file, 0, headerBytes);
    return written.equals(Buffer.from(ctx.source.outputHeader, 'utf8')) ? undefined : `${named(file, ctx)} does not start with the output header`;
  }
  const lastProblem = await lastRecordProblem(file, checkpoint, headerBytes, ctx, kind === 'resume' || grown);
  if (lastProblem !== undefined) return lastProblem;
  if (kind === 'resume') return partialCrcProblem(file, checkpoint, ctx);
  // The complete partial output still to be renamed is the output, proven as "already done" proves it: by the digest
  // its completed checkpoint records of it. Proven by its length and last row alone, a digit of a score edited by hand
  // mid-file was renamed into the output, "Done", exit 0. None recorded (an older release, or unreadable then): renamed
  // as before. The cost is one read of it, on this rare run only.
  if (kind === 'finish-rename' && checkpoint.outputSha256 !== undefined) return completedOutputProblem(file, checkpoint.outputSha256, ctx);
  return undefined;
}

/**
 * Whether the partial output's first `outputBytes` bytes are the ones the paused job wrote: the CRC-32 its checkpoint
 * records. The checks above read one row of it, so a byte changed by hand mid-file at the same length (a digit of a
 * score) was carried into the output, exit 0. A checkpoint of an older version records none: not checked then. The
 * cost is one read of the partial output on each resume (the writer goes on from the recorded CRC, io/output-file.ts).
 */
async function partialCrcProblem(file: string, checkpoint: Checkpoint, ctx: Pick<ProofContext, 'typedOutput'>): Promise<string | undefined> {
  const recorded = checkpoint.partialCrc32;
  if (recorded === undefined) return undefined;
  const actual = await fileCrc32(file, checkpoint.position.outputBytes);
  return actual === recorded ? undefined : `${named(file, ctx)} is not as the checkpoint recorded it (the CRC-32 of its first ${checkpoint.position.outputBytes} bytes differs: edited by hand, or by another program?)`;
}

/** Whether `file` is the output the completed job wrote: the sha256 its checkpoint records (state/output-digest.ts). */
async function completedOutputProblem(file: string, recorded: string | undefined, ctx: Pick<ProofContext, 'typedOutput'>): Promise<string | undefined> {
  if (recorded === undefined) return 'it records no digest of the output (a checkpoint of an older version, or one written when the output could not be read as the job completed): its rows cannot be shown to be the ones the job wrote';
  const actual = await fileSha256(file).catch(() => undefined);
  return actual === recorded ? undefined : `${named(file, ctx)} is not the output the completed job wrote (its sha256 differs: changed since, by hand or by another program?)`;
}

function listIsFolder(list: string, expected: number): MachineFaultError {
  return new MachineFaultError(
    'EISDIR',
    `the list of failed rows ${list} is a folder, not a file: move or remove that folder, then run the same command again ` +
      `(without the list of the ${expected} rows to score again, the job starts over; the answers it received are kept, not paid for again)`,
  );
}

/**
 * A mend records the rows its copy leaves listed only once that list is sealed to the copy (`.failed-rows.next`, promoted
 * after the rename; none when no row is left), and the next run puts that count in the checkpoint as the job's. A count
 * edited by hand (or a `mending` record added) put 0 there beside an output whose rows were listed: the list was removed,
 * and the 43 rows that had failed transiently were said refused for their text, never mended, exit 0.
 */
async function mendingListProblem(listedFailures: number, ctx: ProofContext): Promise<string | undefined> {
  // The copy is the partial output until it is renamed over the output (as replaceWithMended tells them apart).
  const copy = (await lstat(ctx.partialPath).catch(() => undefined))?.isFile() ? ctx.partialPath : ctx.outputPath;
  const list = failedRowsPathFor(ctx.outputPath);
  const sealed = await loadFailedRows(list, copy);
  const listed = sealed.list === 'matches' ? sealed.rows.length : 0;
  return listed === listedFailures ? undefined : `it records a mend that leaves ${listedFailures} rows listed, but the list of failed rows ${named(list, ctx)} sealed to its copy ${named(copy, ctx)} holds ${listed}`;
}

/**
 * `endedSince`: the last record may now go on by a line ending (its file's last row, written without one, ended since:
 * the export grew, grown-input.ts). It is the same record then only if it ends with that line ending: the reader that
 * resumes at the offset reads the line ending as a blank line, passed through, and the output is a fresh run's.
 */
async function lastRecordProblem(file: string, checkpoint: Checkpoint, headerBytes: number, ctx: ProofContext, endedSince: boolean): Promise<string | undefined> {
  const { inputOffset, outputBytes } = checkpoint.position;
  const inputStart = checkpoint.position.lastInputStart as number;
  const outputStart = checkpoint.position.lastOutputStart as number;
  if (inputStart < ctx.source.firstRecordOffset || inputStart >= inputOffset) return `the last record's input offset ${inputStart} is out of place`;
  if (outputStart < headerBytes || outputStart >= outputBytes) return `the last record's output offset ${outputStart} is out of place`;
  const found = await firstRecordAt(ctx.source, inputStart);
  if (typeof found === 'string') return found;
  const record = endedSince ? withoutEndingAt(found, inputOffset) : found;
  if (record.byteEnd !== inputOffset) return `the input record at offset ${inputStart} ends at ${record.byteEnd}, not at the recorded offset ${inputOffset}`;
  if (outputStart > headerBytes) {
    const before = (await readRange(file, outputStart - 1, 1))[0];
    if (before !== LF && before !== CR) return `no record of ${named(file, ctx)} ends at byte ${outputStart}`;
  }
  const written = await readRange(file, outputStart, outputBytes - outputStart);
  return matchesRecord(written, record, ctx.source.formatRecord) ? undefined : `the last row of ${named(file, ctx)} is not the input's record at offset ${inputStart} (cut, doubled or another input's)`;
}

const LF = 0x0a;
const CR = 0x0d;

/** The input's record starting at `offset`, or why there is none. */
async function firstRecordAt(source: ProofContext['source'], offset: number): Promise<InputRecord | string> {
  try {
    return (await source.recordAt(offset)) ?? `the input holds no record at offset ${offset}`;
  } catch (error) {
    return `the input holds no record at offset ${offset} (${errorMessage(error)})`;
  }
}

/**
 * Whether `written` is `record` as the formatter writes it. Rows whose outcome
 * was known while reading (blank lines, bad JSON, ragged rows) are compared
 * exactly; a scored row must be the part every outcome shares (the original
 * bytes) with one answer of no line break between.
 */
function matchesRecord(written: Buffer, record: InputRecord, format: ProofContext['source']['formatRecord']): boolean {
  // An oversized record's head is copied as it is, ahead of the formatted rest.
  for (const part of record.rawHead ?? []) {
    if (!written.subarray(0, part.length).equals(part)) return false;
    written = written.subarray(part.length);
  }
  if (record.passThrough === true || !record.text.ok) {
    const outcome: Outcome = record.text.ok ? { kind: 'skipped', failure: { code: 'blank', message: '' } } : readerOutcome(record.text.failure);
    if (written.equals(Buffer.from(joinedRow(format(record, outcome)), 'utf8'))) return true;
    // Too large to parse under this run's memory limit, the record may have been parsed and scored by the run that wrote
    // it, under a larger one (io/record-bound.ts), or refused with another bound's words: any answer, as a scored row's.
    // Compared exactly, a job paused under 256 MiB after a row of 5 MB was "not the input's record" under 128 MiB, and
    // started over.
    if (record.text.ok || record.text.failure.code !== RECORD_TOO_LARGE) return false;
  }
  const variants = SAMPLE_OUTCOMES.map((outcome) => Buffer.from(joinedRow(format(record, outcome)), 'utf8'));
  const prefix = commonPrefix(variants);
  const suffix = commonSuffix(variants, prefix);
  if (written.length < prefix + suffix) return false;
  const first = variants[0] as Buffer;
  if (!written.subarray(0, prefix).equals(first.subarray(0, prefix))) return false;
  if (!written.subarray(written.length - suffix).equals(first.subarray(first.length - suffix))) return false;
  const answer = written.subarray(prefix, written.length - suffix);
  return !answer.includes(LF) && !answer.includes(CR);
}

const SAMPLE_OUTCOMES: Outcome[] = [
  { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 },
  { kind: 'scored', label: 'NEGATIVE', positive: 0.125, negative: 0.875, truncated: true },
  { kind: 'failed', failure: { code: 'http_500', message: 'x' } },
  { kind: 'skipped', failure: { code: 'empty_text', message: 'y' } },
];

function commonPrefix(buffers: Buffer[]): number {
  const first = buffers[0] as Buffer;
  let length = Math.min(...buffers.map((b) => b.length));
  for (const other of buffers.slice(1)) {
    let i = 0;
    while (i < length && other[i] === first[i]) i++;
    length = i;
  }
  return length;
}

function commonSuffix(buffers: Buffer[], prefix: number): number {
  const first = buffers[0] as Buffer;
  let length = Math.min(...buffers.map((b) => b.length)) - prefix;
  for (const other of buffers.slice(1)) {
    let i = 0;
    while (i < length && other[other.length - 1 - i] === first[first.length - 1 - i]) i++;
    length = i;
  }
  return length;
}

async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await openExistingNoFollow(file, 'read');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
