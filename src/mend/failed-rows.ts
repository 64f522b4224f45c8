import { closeSync, fsyncSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import type { WrittenRow } from '../job/pipeline.js';
import { withPath } from '../machine-fault.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { fileDigest } from '../state/output-digest.js';
import { openAppendNoFollowSync, readTextNoFollow, writeAllSync } from '../state/no-follow.js';

/** A row written with a transient failure: where it is in the input and the output, and its failure's code. */
export type FailedRow = WrittenRow;

/** Written at completion: the list belongs to an output of exactly these bytes. */
interface Header {
  complete: true;
  outputBytes: number;
  outputHash: string;
}

export function failedRowsPathFor(output: string): string {
  return `${output}.failed-rows`;
}

/**
 * `<output>.failed-rows`: the rows a run wrote with a transient failure (5xx,
 * network, timeout, 429 after retries, malformed answers), one JSON line
 * each, appended as they are written. Running the job again after it
 * completed re-scores just these rows (see mend.ts).
 *
 * At completion the list gets a header naming the output's length and
 * SHA-256, so it is only ever applied to the very output it describes; with
 * no failed rows there is no file at all.
 */
export class FailedRowsLog {
  private constructor(
    private readonly file: string,
    private fd: number,
    private rows: FailedRow[],
    /** Rows listed by earlier runs of the job (kept when resuming), not by this one. */
    readonly carried: number,
  ) {}

  /** Rows appended since the last fsync: with none, a checkpoint's sync has nothing to make durable (the list starts fsynced). */
  private unsynced = false;

  /**
   * For a run writing the partial output: a fresh list, or (resuming at
   * `resumeAtBytes`) the rows the kept part of the output holds.
   */
  static async openForRun(file: string, resumeAtBytes: number | undefined): Promise<FailedRowsLog> {
    const kept = resumeAtBytes === undefined ? [] : readRows(file).rows.filter((row) => row.outputEnd <= resumeAtBytes);
    await writeFileAtomic(file, kept.map(encodeRow).join(''));
    return new FailedRowsLog(file, openAppendNoFollowSync(file), kept, kept.length);
  }

  get count(): number {
    return this.rows.length;
  }

  append(row: FailedRow): void {
    this.rows.push(row);
    this.unsynced = true;
    try {
      writeAllSync(this.fd, encodeRow(row));
    } catch (error) {
      // A write to a descriptor names no file: the fault's line names the list (a full disk: exit 74).
      throw withPath(error, this.file);
    }
  }

  /**
   * Makes the rows appended so far durable, before a checkpoint records the output that holds them: the output is
   * fsynced for each checkpoint and the list was not, so a power cut could keep rows failed transiently that the
   * list had lost, and a rerun would take them for rows refused for their text and never score them again. A refusal
   * (an fsync failing on NFS or a thin volume) names the list, and the run stops before that checkpoint (exit 74).
   */
  sync(): void {
    // Unchanged since its last fsync, the list holds nothing a power cut could take: no fsync every checkpoint for it.
    if (this.fd < 0 || !this.unsynced) return;
    try {
      fsyncSync(this.fd);
      this.unsynced = false;
    } catch (error) {
      throw withPath(error, this.file);
    }
  }

  /** The output is complete (at `outputPath`, about to be renamed): seal the list to its bytes, or remove it when empty. */
  async complete(outputPath: string): Promise<void> {
    this.close();
    await writeFailedRows(this.file, this.rows, outputPath);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Replaces `file` with `rows` sealed to the output at `outputPath` (no file when there are none). */
export async function writeFailedRows(file: string, rows: FailedRow[], outputPath: string): Promise<void> {
  if (rows.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  const header: Header = { complete: true, ...(await fingerprint(outputPath)) };
  await writeFileAtomic(file, `${JSON.stringify(header)}\n${rows.map(encodeRow).join('')}`);
}

/**
 * The failed rows of the completed output at `outputPath`: from `file`, or
 * from `file.next` (a mend that stopped between its two renames), whichever
 * was sealed to the output as it is now. None when neither matches (`list`
 * says whether there was no list, or only one of another output, and how many
 * rows that one held: they failed transiently, yet cannot be found any more),
 * or when `file` is there but sealed to no output: `empty` (emptied) or
 * `unsealed` (its first line, the seal, cut or changed). The seal is written
 * with the list's rows at once (writeFailedRows), so those two are lists damaged,
 * not missing: only a list deleted is missing.
 */
export async function loadFailedRows(file: string, outputPath: string): Promise<{ rows: FailedRow[]; list: 'matches' | 'missing' | 'empty' | 'unsealed' | SealedElsewhere }> {
  const [next, plain] = [`${file}.next`, file].map(readRows) as [ListRead, ListRead];
  const candidates = [next, plain].filter((read) => read.header !== undefined);
  const actual = candidates.length > 0 ? await fingerprint(outputPath) : undefined;
  if (actual) {
    for (const read of candidates) {
      if (read.header?.outputBytes === actual.outputBytes && read.header.outputHash === actual.outputHash) return { rows: read.rows, list: 'matches' };
    }
  }
  if (plain.text !== undefined && plain.header === undefined) return { rows: [], list: plain.text === '' ? 'empty' : 'unsealed' };
  if (!actual) return { rows: [], list: 'missing' };
  // The list the output was last sealed with is the plain one (`.next` only ever leads it during a mend).
  const last = candidates.at(-1) as ListRead & { header: Header };
  return { rows: [], list: { changed: last.rows.length, sealedBytes: last.header.outputBytes, outputBytes: actual.outputBytes } };
}

/** A list sealed to other bytes than the output's: how many rows it holds, the length its seal names, and the output's. */
export interface SealedElsewhere {
  changed: number;
  sealedBytes: number;
  outputBytes: number;
}

/**
 * How many rows the list at `file` holds up to `outputBytes` of the partial output: a resumed run keeps those (openForRun),
 * and every checkpoint records how many it expects there (prove-checkpoint.ts).
 */
export function listedUpTo(file: string, outputBytes: number, options: { sentOnly?: boolean } = {}): number {
  // `sentOnly`: not the rows failed with an earlier row's answer ("dup"), which no count of rows sent to the model holds.
  return readRows(file).rows.filter((row) => row.outputEnd <= outputBytes && !(options.sentOnly === true && row.duplicate === true)).length;
}

/** After a mend: the new list goes in place of the old one. */
export async function promoteNext(file: string): Promise<void> {
  await rename(`${file}.next`, file);
}

/** A list file as read: its text (undefined: no file), its seal, and its rows. */
interface ListRead {
  text: string | undefined;
  header: Header | undefined;
  rows: FailedRow[];
}

function readRows(file: string): ListRead {
  const read = readTextNoFollow(file, { jobFile: true });
  if (read === undefined) return { text: read, header: undefined, rows: [] };
  // A leading BOM, as an editor on Windows saves a file opened by hand (the checkpoint takes one too): the seal line
  // behind it did not parse, and the list was refused as having "lost its seal" (exit 3). Its rows are checked all the same.
  const text = read.startsWith('\uFEFF') ? read.slice(1) : read;
  let header: Header | undefined;
  const rows: FailedRow[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a cut last line (killed mid-append)
    }
    const object = value as Partial<Header> & { i?: unknown; in?: unknown; out?: unknown; code?: unknown };
    if (object.complete === true && Number.isSafeInteger(object.outputBytes) && typeof object.outputHash === 'string') {
      header = object as Header;
      continue;
    }
    const row = decodeRow(object);
    if (row) rows.push(row);
  }
  return { text, header, rows };
}

function encodeRow(row: FailedRow): string {
  return `${JSON.stringify({ i: row.index, in: [row.inputStart, row.inputEnd], out: [row.outputStart, row.outputEnd], code: row.code, ...(row.duplicate ? { dup: true } : {}) })}\n`;
}

function decodeRow(object: { i?: unknown; in?: unknown; out?: unknown; code?: unknown; dup?: unknown }): FailedRow | undefined {
  const pair = (value: unknown): [number, number] | undefined =>
    Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) && value[0] <= value[1]
      ? (value as [number, number])
      : undefined;
  const input = pair(object.in);
  const output = pair(object.out);
  if (!Number.isSafeInteger(object.i) || !input || !output || typeof object.code !== 'string') return undefined;
  // Written only as true: any other value is a line the run did not write.
  if (object.dup !== undefined && object.dup !== true) return undefined;
  const row = { index: object.i as number, inputStart: input[0], inputEnd: input[1], outputStart: output[0], outputEnd: output[1], code: object.code };
  // A duplicate's failure was not counted among the rows sent to the model: mended, it is not taken off them (mend-job.ts).
  return object.dup === true ? { ...row, duplicate: true } : row;
}

async function fingerprint(file: string): Promise<{ outputBytes: number; outputHash: string }> {
  // The same sha256 as the checkpoint's outputSha256, taken once for both (state/output-digest.ts).
  const { bytes, sha256 } = await fileDigest(file);
  return { outputBytes: bytes, outputHash: sha256 };
}
