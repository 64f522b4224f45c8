import { createHash } from 'node:crypto';
import { constants, lstatSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { MachineFaultError, SentimentBatchError, errorMessage } from '../errors.js';
import { keepsCheckpoint } from '../io/format.js';
import type { InputFileId, InputIdentity } from '../io/open-input.js';
import { machineFaultOf } from '../machine-fault.js';
import { writeFileAtomic } from './atomic-write.js';
import { ForeignFileError } from './foreign-file.js';
import { NOT_A_FILE, isSymlinkRefusal, readFileNoFollow } from './no-follow.js';
import { accessError } from '../paths/access-error.js';
import type { FailureCounts } from './failure-counts.js';
import { isLabelCounts, type LabelCounts } from './label-counts.js';
import { isNumberOnlyRows, type NumberOnlyRows } from '../scoring/number-only-text.js';
import { isBlankRowCount } from './blank-row-count.js';
import type { Totals } from './totals.js';
import { UNKNOWN_FILE_ID, withoutUnknownFileId } from './unknown-file-id.js';
import { checkpointFieldsProblem, isFileId } from './checkpoint-fields.js';

/** Bump when the meaning of a field changes; older checkpoints are then not trusted. */
export const CHECKPOINT_VERSION = 1;

// Made by io/open-input.ts' inputIdentity, recorded here: one shape, imported by the job's modules from here.
export type { InputFileId, InputIdentity };

/** One run's part of the input bytes a job consumed: decompressed bytes from the previous segment's end (0 first) to `end`. */
export interface ConsumedSegment {
  end: number;
  /** sha256 (hex) of those bytes. */
  sha256: string;
}

/** The settings that change the bytes of the output: a checkpoint made under others is not resumed. */
export interface OutputSettings {
  format: string;
  delimiter: string;
  text: string;
  prefix: string;
  modelId: string;
  longText: string;
  /** --limit N: only the first N records. Absent without a limit, so such jobs hash as before. */
  limit?: number;
  /** The address serving a remote model when it is not the real service (Scorer.endpoint). Absent otherwise, as before. */
  endpoint?: string;
  /** --escape backslash: which records the CSV input holds. Absent for the default (quote), so such jobs hash as before. */
  escape?: 'backslash';
  /** --quote none: which records the CSV input holds (io/unquoted-cells.ts). Absent for the default (`"`), so such jobs hash as before. */
  quote?: 'none';
  /** --decimal comma: the score cells' mark (io/decimal-mark.ts). Absent for the default (point), so such jobs hash as before. */
  decimal?: 'comma';
}

export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  tool: 'sentiment-batch';
  /**
   * `fileId`: the device, inode and change time of the input's file, beside its identity (job/same-input.ts
   * isRecordedFile): another file of the same identity, or one changed since, is compared by the bytes the job consumed.
   * Absent in checkpoints of older versions.
   */
  input: { path: string; identity: InputIdentity; fileId?: InputFileId };
  settings: OutputSettings;
  settingsHash: string;
  output: { path: string; partialPath: string };
  /** Everything before these offsets is written, flushed and fsynced. */
  position: { inputOffset: number; outputBytes: number; nextIndex: number; lastInputStart?: number; lastOutputStart?: number };
  totals: Totals;
  /** True once the output is complete (then renamed to output.path). */
  completed: boolean;
  /**
   * How many rows `<output>.failed-rows` lists (rows that failed transiently): once `completed`, the whole list; before,
   * those up to `position.outputBytes`, which a resumed run keeps (proven: a list edited by hand loses rows to mend).
   * 0 means no list is expected, so its absence hides nothing; absent in checkpoints of older versions.
   */
  listedFailures?: number;
  /**
   * Beside `totals`, what the verdict on the job needs (job/job-failures.ts): rows unreadable, sent to the model, failed there.
   * Absent in checkpoints of older versions (the verdict then judges failed rows among all rows read).
   */
  failureCounts?: FailureCounts;
  /**
   * Beside `totals`, the rows of the output scored as each label (state/label-counts.ts): together `totals.scored`.
   * Absent in checkpoints of older versions (the summary then has no `labels`); dropped when read if they do not add up.
   */
  labels?: LabelCounts;
  /**
   * Beside `labels`, the output's scored rows whose text is only a number, and the first (scoring/number-only-text.ts):
   * an "already done" rerun, which reads no row, says them again. `{ rows: 0, firstRow: 0 }` when there are none.
   * Absent in checkpoints of older versions (a rerun then says nothing of them); dropped when read if it cannot be.
   */
  numberOnly?: NumberOnlyRows;
  /**
   * Beside `totals`, the output's rows whose every field is empty (CSV blank rows, state/blank-row-count.ts), among its
   * skipped ones: an "already done" rerun, which reads no row, says them again. 0 when there are none. Absent in
   * checkpoints of older versions (a rerun then says nothing of them); dropped when read if it cannot be.
   */
  blankRows?: number;
  /**
   * Set, with `completed`, while a mend replaces the output with its mended copy (mend/mend-job.ts): the
   * copy at `output.partialPath` is complete and synced, `totals` already count its rows, and these are
   * the output's length, listed rows and the start of its last record (absent in older versions) once it is renamed over the output. `position.outputBytes` and
   * `listedFailures` still describe the output as it was, so a crash at any instant of the replacement
   * leaves files this checkpoint describes; the next run finishes the replacement (mend/finish-mend.ts).
   */
  mending?: { outputBytes: number; listedFailures: number; lastOutputStart?: number };
  /**
   * The input bytes before `position.inputOffset` (decompressed), by segments, one per run (job/consumed-input.ts):
   * a copy of the input whose file times differ is recognised by them (job/same-input.ts). Absent in checkpoints of
   * older versions, and when a run could not tell the bytes it read: the file's identity alone decides then.
   */
  consumed?: ConsumedSegment[];
  /**
   * Once `completed`: the JSONL text field left out of `rows` rows whose records hold text in `field` (a field renamed
   * partway, job/renamed-text-field.ts), so an "already done" rerun warns again. Also in the paused checkpoints of a
   * completed job continued for its grown export (grown-input.ts), carried to its completion. Absent otherwise, and in older versions.
   */
  renamedTextField?: { field: string; rows: number };
  /**
   * Once `completed`: the sha256 (hex) of the output as the job completed it (state/output-digest.ts), proven before a
   * grown export continues it (job/grown-input.ts). Absent in older versions and when it could not be read: the grown
   * export is then scored afresh. A paused checkpoint has none.
   */
  outputSha256?: string;
  /**
   * A paused checkpoint's CRC-32 of the partial output's first `position.outputBytes` bytes (state/output-crc.ts),
   * carried by the writer across checkpoints as it appends (io/output-file.ts) and compared by a resume
   * (job/prove-checkpoint.ts): a byte edited by hand mid-file at the same length was carried into the output, exit 0.
   * Absent in older versions (a resume then checks the length and the last row only), and in a completed checkpoint,
   * whose output has `outputSha256`.
   */
  partialCrc32?: number;
  /**
   * A paused checkpoint's word that the answer journal holds a line for every answer the partial output's rows carry,
   * and how many entry lines it held then (`journaledAnswers`): a resume that finds at least those lines need not read
   * the partial output for earlier answers (job/answers-journaled.ts). Absent in older versions and completed checkpoints: false.
   * `journalId`: the id the journal's header carried then (journal/journal-format.ts headerId); the skip needs the same one.
   */
  answersJournaled?: boolean;
  journaledAnswers?: number;
  journalId?: string;
  /**
   * The memory limit (bytes; null for none) the job started under, which a resume judges its records under when its own
   * is as large (io/record-bound.ts judgeUnderJobLimit): its output is then one run's. Absent in older versions (a
   * resume then judges them under its own, as they did); dropped when read if no limit can be.
   */
  memoryLimit?: number | null;
  updatedAt: string;
}

export function checkpointPathFor(output: string): string {
  return `${output}${CHECKPOINT_SUFFIX}`;
}

const CHECKPOINT_SUFFIX = '.checkpoint.json';

/** The output a checkpoint file is the job of, by its name (the inverse of checkpointPathFor); undefined for another file. */
export function outputOfCheckpointPath(file: string): string | undefined {
  return file.endsWith(CHECKPOINT_SUFFIX) ? file.slice(0, -CHECKPOINT_SUFFIX.length) : undefined;
}

export function hashSettings(settings: OutputSettings): string {
  const ordered = Object.keys(settings)
    .sort()
    .map((key) => [key, settings[key as keyof OutputSettings]]);
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex').slice(0, 16);
}

/**
 * Whether the same command, run again, continues from a checkpoint: the job keeps one (not standard input or
 * output), it is a file beside the output that this user may read, and --restart does not tell the run to start over.
 * A fault's line promises "it continues from the checkpoint" only then. One this user may not read could say anything
 * (the job done, another input's, not this tool's): its line asks for access and promises nothing.
 */
export function continuesFromCheckpoint(job: { input: string; output: string; restart: boolean }): boolean {
  return keepsCheckpoint(job) && !job.restart && hasCheckpoint(job.output) && accessError(checkpointPathFor(job.output), constants.R_OK) === undefined;
}

/**
 * Whether the job has a checkpoint to continue from: a file at its path. A folder there (made by hand, a copy
 * gone wrong) is none, so a fault's line does not promise that the same command continues from it.
 */
export function hasCheckpoint(output: string): boolean {
  try {
    return lstatSync(checkpointPathFor(output)).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether the job's checkpoint says its output is complete: every row written, the output at its path or, when the
 * rename that puts it there was refused, still to be renamed by the next run (finish-rename.ts). A fault's line then
 * advises no other -o (commands/fault-advice.ts). False when there is none or it cannot be read.
 */
export function checkpointCompleted(output: string): boolean {
  // A regular file only (hasCheckpoint): a named pipe there would never end the read.
  if (!hasCheckpoint(output)) return false;
  try {
    const data = JSON.parse(readFileSync(checkpointPathFor(output), 'utf8')) as Partial<Checkpoint> | null;
    return data?.tool === 'sentiment-batch' && data.completed === true;
  } catch {
    return false;
  }
}

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(withoutUnknownFileId(checkpoint), null, 2)}\n`);
  } catch (error) {
    // A folder made at its path while the run worked refuses the rename (EISDIR): the line names the checkpoint
    // and what to do, as when a run meets the folder at its start, never "it continues from the checkpoint".
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw checkpointIsFolder(file, error);
    throw error;
  }
}

/** The one line for a folder where the checkpoint goes: it is never removed for the user, and without it the job starts over. */
function checkpointIsFolder(file: string, cause: unknown): MachineFaultError {
  return new MachineFaultError('EISDIR', `the checkpoint ${file} is a folder, not a file: move or remove that folder, then run the same command again (the job starts over without its checkpoint)`, { cause });
}

export type LoadedCheckpoint =
  | { kind: 'none' }
  /** `fileIdProblem`: what was wrong with its input's device, inode and change time, read as unknown (unknownFileId). */
  | { kind: 'ok'; checkpoint: Checkpoint; fileIdProblem?: string }
  /** `newerVersion`: written by a newer release (a version above this one's), whose job this release must not start over. */
  | { kind: 'unusable'; reason: string; newerVersion?: number };

/**
 * Reads a checkpoint; anything unreadable or of another version is reported, never trusted. `shown`: the caller only
 * shows the job (report), so another user's checkpoint in a sticky folder is read as any other, where a job refuses it
 * (foreign-file.ts): a report on another user's finished job in /tmp was exit 74, telling the reader to remove it.
 */
export async function readCheckpoint(file: string, options: { shown?: boolean } = {}): Promise<LoadedCheckpoint> {
  let text: string;
  try {
    text = await readFileNoFollow(file, { jobFile: options.shown !== true });
  } catch (error) {
    // Another user's file in a sticky folder (/tmp) is refused whole, not taken for a damaged checkpoint to replace.
    if (error instanceof ForeignFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    // A symlink planted where the checkpoint goes is never followed, nor trusted.
    if (isSymlinkRefusal(error)) return { kind: 'unusable', reason: 'it is a symbolic link' };
    // A named pipe, a socket, a device: never read (a pipe would wait for a writer forever); the next checkpoint replaces it.
    if ((error as NodeJS.ErrnoException).code === NOT_A_FILE) return { kind: 'unusable', reason: 'it is not a regular file (a named pipe, a socket or a device)' };
    // A folder at its path (made by hand, or a copy gone wrong) is never removed for the user: one line says what to do.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw checkpointIsFolder(file, error);
    // A machine's refusal (permission, I/O error) is exit 74 like any other, not an input error.
    const fault = machineFaultOf(error);
    if (fault) throw fault;
    throw new SentimentBatchError('checkpoint', `cannot read checkpoint ${file}: ${errorMessage(error)}`, { cause: error });
  }
  let data: unknown;
  try {
    // A leading BOM, as an editor on Windows saves a file opened by hand, is no reason to throw the job's progress away
    // ("it is not valid JSON: starting over"): what the checkpoint claims is proven against the files all the same.
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return { kind: 'unusable', reason: 'it is not valid JSON' };
  }
  const newerVersion = newerVersionOf(data);
  if (newerVersion !== undefined) return { kind: 'unusable', reason: `it ${newerReleaseWords(newerVersion)}`, newerVersion };
  const problem = checkpointProblem(data);
  if (problem) return { kind: 'unusable', reason: problem };
  const checkpoint = data as Checkpoint;
  // Counts per label that are not the rows scored are dropped, unknown as in a checkpoint older than them (the summary
  // then has no `labels`): a hand edit, or the release before them, which keeps them as they were (`...checkpoint`)
  // beside its new totals when it mends a completed job's rows. Refused, the checkpoint was "unusable: starting over",
  // and a complete output was scored again whole, every row paid twice, for counts only the summary gives.
  if (checkpoint.labels !== undefined && !isLabelCounts(checkpoint.labels, checkpoint.totals.scored)) delete checkpoint.labels;
  // So is a count of texts only a number that cannot be (more than the rows scored): unknown, as in an older checkpoint.
  if (checkpoint.numberOnly !== undefined && !isNumberOnlyRows(checkpoint.numberOnly, checkpoint.totals)) delete checkpoint.numberOnly;
  // And a count of blank rows that cannot be (more than the rows skipped, or no whole number).
  if (checkpoint.blankRows !== undefined && !isBlankRowCount(checkpoint.blankRows, checkpoint.totals)) delete checkpoint.blankRows;
  // A digest that is no sha256 proves nothing: dropped, as in an older checkpoint (a grown export is then scored afresh;
  // the job is still done).
  if (checkpoint.outputSha256 !== undefined && !(typeof checkpoint.outputSha256 === 'string' && /^[0-9a-f]{64}$/.test(checkpoint.outputSha256))) delete checkpoint.outputSha256;
  // And a memory limit no run found (not a positive whole number, nor null): unknown, as in an older checkpoint.
  if (checkpoint.memoryLimit !== undefined && checkpoint.memoryLimit !== null && !(Number.isSafeInteger(checkpoint.memoryLimit) && checkpoint.memoryLimit > 0)) delete checkpoint.memoryLimit;
  const fileIdProblem = unknownFileId(checkpoint);
  return fileIdProblem === undefined ? { kind: 'ok', checkpoint } : { kind: 'ok', checkpoint, fileIdProblem };
}

/**
 * An input `fileId` that is not decimal strings (a hand edit: `dev` as a number, `ctimeNs: 1`, null) says nothing of
 * the file: it is put as one no file has, so the input is compared by the bytes the job consumed, as another file of
 * the same identity is (job/same-input.ts isRecordedFile). Refused, the whole checkpoint was thrown away ("unusable …
 * starting over") and a Workers AI job paid for every row again, where that comparison costs one read. Returns what
 * was wrong, for the run's line.
 */
function unknownFileId(checkpoint: Checkpoint): string | undefined {
  const { fileId } = checkpoint.input as { fileId?: unknown };
  if (fileId === undefined || isFileId(fileId)) return undefined;
  checkpoint.input.fileId = { ...UNKNOWN_FILE_ID };
  return `its input's device, inode and change time are invalid (${JSON.stringify(fileId) ?? String(fileId)}, where each is a decimal string)`;
}

export async function removeCheckpoint(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** What a checkpoint of a newer release is, said once for the refusal (resume.ts) and the report's "unusable" reason. */
export function newerReleaseWords(version: number): string {
  return `was written by a newer release of sentiment-batch (checkpoint version ${version}; this release reads version ${CHECKPOINT_VERSION})`;
}

/**
 * The version of a sentiment-batch checkpoint above this release's: a release rolled back after an upgrade meets it.
 * Anything else a version field holds (older, text, a fraction) is no newer release's, and unusable as before.
 */
function newerVersionOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const c = data as Partial<Record<'tool' | 'version', unknown>>;
  return c.tool === 'sentiment-batch' && Number.isSafeInteger(c.version) && (c.version as number) > CHECKPOINT_VERSION ? (c.version as number) : undefined;
}

function checkpointProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'it is not an object';
  const c = data as Partial<Checkpoint>;
  if (c.tool !== 'sentiment-batch') return 'it was not written by sentiment-batch';
  if (c.version !== CHECKPOINT_VERSION) return `it has version ${JSON.stringify(c.version) ?? 'none'}, this program writes version ${CHECKPOINT_VERSION}`;
  return checkpointFieldsProblem(c);
}

export function sameIdentity(a: InputIdentity, b: InputIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.headHash === b.headHash && a.tailHash === b.tailHash;
}
