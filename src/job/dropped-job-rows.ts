import { createHash, type Hash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { decodeEntry, headerMatches } from '../journal/journal-format.js';
import { positionAfter } from '../mend/finish-mend.js';
import type { Scores } from '../scoring/scorer.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { readTextNoFollow } from '../state/no-follow.js';
import { fileCrc32 } from '../state/output-crc.js';
import { completedOutputPath, fileSha256 } from '../state/output-digest.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { typedPath } from '../wording/typed-path.js';
import type { WrittenAnswer } from './partial-answers.js';
import { isEmptyText, planRow, type TextWindow } from './row-plan.js';

/*
 * Where the answers of a job started over are read from (kept-answers.ts keeps them): its partial output, a completed
 * job's output or mended copy, and its journal; the text each answer is filed under.
 */

/** The job whose files are read: its checkpoint, and where its output, partial output and journal are. */
export interface DroppedFiles {
  checkpoint: Checkpoint;
  partialPath: string;
  outputPath: string;
  /** The output as the user gave it: the lines name the files after it (wording/typed-path.ts). */
  typedOutput?: string | undefined;
}

/** `file` as the lines name it. */
export const shown = (job: Pick<DroppedFiles, 'typedOutput'>, file: string): string => typedPath(file, job.typedOutput);

/**
 * The file the dropped job's answers are read from, how the lines name it (the start-over line said "the completed
 * job's output out.csv" of answers read from the mend's copy, out.csv.partial), and the checkpoint that describes it. A completed job's rows are in
 * its output, described as an unfinished job's partial output is. While a mend replaces that output (`mending`, a run
 * killed then: finish-mend.ts), in its mended copy, which holds every answer the job and the mend paid for: the partial
 * output until it is renamed, the output after (completedOutputPath tells them apart, as the copy's digest is taken),
 * at the length and last record the mend records. None was read there, the file at the output's path being either
 * copy, and the run back on Workers AI paid for every row again (176 of 176 texts against serve). partialAnswers proves
 * the file against that description (length, rows, last record, rows scored): another file there gives nothing. A
 * completed job killed before the rename of its output holds its answers in its partial output too.
 */
export function droppedRows(job: DroppedFiles): { path: string; words: string; checkpoint: Checkpoint } {
  const { checkpoint } = job;
  if (!checkpoint.completed) return { path: job.partialPath, words: `partial output ${shown(job, job.partialPath)}`, checkpoint };
  const copy = completedOutputPath(job);
  // Killed between the checkpoint that completes it and the rename, its output is still the partial one: looked for at
  // the output's path alone, none was there ("it is not there") and every row was paid for again (60 of 60).
  if (checkpoint.mending === undefined) return { path: copy, words: `output ${shown(job, copy)}`, checkpoint };
  return { path: copy, words: `mended output ${shown(job, copy)}`, checkpoint: { ...checkpoint, position: positionAfter(checkpoint.position, checkpoint.mending) } };
}

/**
 * The text the dropped job sent for a row, which its answer is kept under. A row not cut was sent whole (planRow gives
 * the text itself when it fits): its own text, not tokenized again, which was ~40% of an import's time. A row cut to
 * the window is cut again as the job cut it (a row whose cut the window does not give is not reused).
 */
export function textSent(row: WrittenAnswer, window: TextWindow): string | undefined {
  if (!row.truncated) return isEmptyText(row.text) ? undefined : row.text;
  const plan = planRow(row.text, window, 'truncate');
  return plan.kind === 'send' && plan.truncated ? plan.text : undefined;
}

/**
 * The digest of the dropped job's rows taken as they are read through (partialAnswers' tap), of the kind its checkpoint
 * records: editedPartial compares it instead of reading the file again (a 23.8 MB output of 200,000 rows: 61-74 ms of
 * CPU and its I/O, three runs, 2026-12-07; docs/durability.md has another three: 40-56 ms). A read that ended early, or a file of another length than the one read, is read again as before.
 */
export class ReadDigest {
  readonly #sha256: Hash | undefined;
  #hex: string | undefined;
  #crc = 0;
  #bytes = 0;

  constructor(checkpoint: Checkpoint) {
    this.#sha256 = checkpoint.completed ? createHash('sha256') : undefined;
  }

  readonly tap = (bytes: Buffer): void => {
    if (this.#sha256 !== undefined) this.#sha256.update(bytes);
    else this.#crc = crc32(bytes, this.#crc);
    this.#bytes += bytes.length;
  };

  /** The sha256 of the whole of `file` when the read took it all (the file `length` bytes long), else undefined. */
  sha256Of(file: string, length: number): string | undefined {
    if (this.#sha256 === undefined || this.#bytes !== length || lstatSync(file, { throwIfNoEntry: false })?.size !== length) return undefined;
    // A Hash gives its digest once: kept for a second look.
    this.#hex ??= this.#sha256.digest('hex');
    return this.#hex;
  }

  /** The CRC-32 of the first `length` bytes when the read took them all, else undefined. */
  crc32Of(length: number): number | undefined {
    return this.#sha256 === undefined && this.#bytes === length ? this.#crc : undefined;
  }
}

/**
 * Why the dropped job's rows are not the bytes its checkpoint recorded, else undefined (also when it records nothing to
 * compare: an older version's checkpoint). An unfinished job's partial output: the CRC-32 of its first recorded bytes
 * (`partialCrc32`). A completed job's output (or mended copy, `file` as droppedRows gives it): the sha256 its checkpoint
 * records (`outputSha256`). Each row is checked alone, so an answer swapped by hand at the same length (label and
 * scores) read as a model's: kept for the job that starts over (its export edited, or other settings), it was written
 * as that row's answer, exit 0, where a clean run has the model's. Compared once the rows are read through (`read`,
 * their digest taken meanwhile), so a file its rows refuse is told by them, as before the digest is looked at.
 */
export async function editedPartial(file: string, checkpoint: Checkpoint, read?: ReadDigest): Promise<string | undefined> {
  const bytes = checkpoint.position.outputBytes;
  if (checkpoint.completed) {
    if (checkpoint.outputSha256 === undefined || (read?.sha256Of(file, bytes) ?? (await fileSha256(file))) === checkpoint.outputSha256) return undefined;
    return 'its sha256 differs: changed since, by hand or by another program?';
  }
  const recorded = checkpoint.partialCrc32;
  if (recorded === undefined) return undefined;
  return (read?.crc32Of(bytes) ?? (await fileCrc32(file, bytes))) === recorded ? undefined : `the CRC-32 of its first ${groupedNumber(bytes)} bytes differs: edited by hand, or by another program?`;
}

/** The scored answers of the dropped job's journal, when the journal is that job's (its header names its input and settings). */
export function journalAnswers(file: string, checkpoint: Checkpoint): Array<[string, Scores, number]> {
  const lines = readTextNoFollow(file, { jobFile: true })?.split('\n') ?? [];
  if (!headerMatches(lines[0], { settingsHash: checkpoint.settingsHash, identity: checkpoint.input.identity })) return [];
  const answers: Array<[string, Scores, number]> = [];
  for (const line of lines.slice(1)) {
    const entry = decodeEntry(line);
    if (entry?.answer.kind === 'scored') answers.push([entry.text, entry.answer.scores, entry.index]);
  }
  return answers;
}
