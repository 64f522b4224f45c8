import type { FileHandle } from 'node:fs/promises';
import { SentimentBatchError } from '../errors.js';
import { withoutEndingAt } from '../io/ended-since.js';
import type { Source } from '../job/source.js';
import { openExistingNoFollow } from '../state/no-follow.js';
import type { FailedRow } from './failed-rows.js';
import { isWrittenFailure } from './written-failure.js';
import { tooLargeToMend } from './too-large-to-mend.js';

export interface VerifyListOptions {
  /** The list as the refusal names it (after the output as the user gave it): only the output is read here. */
  listPath: string;
  outputPath: string;
  source: Source;
  /** The rows the list holds, as read. */
  rows: readonly FailedRow[];
  /** How many rows the list held when the output was completed, as the checkpoint records it (undefined: an older checkpoint that does not say). */
  listedFailures: number | undefined;
  /** Aborts when the run is asked to stop (a signal): the check ends between two records, having changed nothing. */
  signal: AbortSignal;
}

/**
 * The list's seal proves it was written for this output, not that its lines
 * are the ones written: a hand edit or a damaged line would make the mend
 * rewrite the wrong bytes. So, before a request is sent or a byte written,
 * every listed row is checked: as many rows as the run listed, in order,
 * their ranges apart and inside the files, each input range one record of
 * the input, and each output range exactly that record as the run wrote it,
 * failed with the listed code. Throws (exit 3) at the first row that is not.
 * It reads the input and the output from the first listed row to the last (minutes for a large file), so a stop
 * asked for meanwhile ends it at the next record: 'stopped', nothing sent or written, where it waited for the end
 * of the read before (a SIGTERM 1.5 s in ended the process 39 s later, --grace 2s).
 */
export async function verifyFailedRowsList(options: VerifyListOptions): Promise<'checked' | 'stopped'> {
  const { rows, source } = options;
  const refuse = (what: string): never => {
    throw listRefused(options.listPath, what);
  };
  refuseWrongCount(options);
  const output = await openExistingNoFollow(options.outputPath, 'read');
  try {
    checkRanges(rows, Buffer.byteLength(source.outputHeader, 'utf8'), (await output.stat()).size, source.firstRecordOffset, refuse);
    return await checkRecords(rows, source, output, refuse, options.signal, options.listPath);
  } finally {
    await output.close();
  }
}

/**
 * A list holding more or fewer rows than the run that completed the output listed (a line deleted, repeated, added):
 * said first, as what is wrong, before any other check of its lines (a repeated line read as a duplicate mark gone wrong).
 */
export function refuseWrongCount(options: Pick<VerifyListOptions, 'listPath' | 'rows' | 'listedFailures'>): void {
  const { rows, listedFailures } = options;
  if (listedFailures !== undefined && rows.length !== listedFailures) {
    throw listRefused(options.listPath, `holds ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}, but the run that completed the output listed ${listedFailures}`);
  }
}

/** The one-line refusal of a list that does not describe the output and the input (what: how it does not). */
export function listRefused(listPath: string, what: string): SentimentBatchError {
  return new SentimentBatchError(
    'checkpoint',
    `the list of failed rows ${listPath} ${what}: it was edited or damaged, so nothing was mended and the output is unchanged; run with --restart to score the input afresh, or delete the list to keep the output as it is`,
  );
}

/** Rows in input and output order, each range non-empty and apart from the next, all past the header and inside the output. */
function checkRanges(rows: readonly FailedRow[], headerBytes: number, outputBytes: number, firstRecordOffset: number, refuse: (what: string) => never): void {
  let previous: FailedRow | undefined;
  for (const row of rows) {
    const at = `at row ${row.index}`;
    if (row.inputStart >= row.inputEnd || row.outputStart >= row.outputEnd) refuse(`gives row ${row.index} an empty range`);
    if (previous === undefined) {
      if (row.inputStart < firstRecordOffset) refuse(`${at} points into the input's header`);
      if (row.outputStart < headerBytes) refuse(`${at} points into the output's header`);
    } else {
      if (row.index <= previous.index) refuse(`${at} is out of order (after row ${previous.index})`);
      if (row.inputStart < previous.inputEnd) refuse(`${at} overlaps row ${previous.index} in the input`);
      if (row.outputStart < previous.outputEnd) refuse(`${at} overlaps row ${previous.index} in the output`);
    }
    if (row.outputEnd > outputBytes) refuse(`${at} reaches byte ${row.outputEnd}, past the output's end (${outputBytes} bytes)`);
    previous = row;
  }
}

/** Reads the input from the first listed row on: each listed row is the record there, and the output holds it as written failed. */
async function checkRecords(rows: readonly FailedRow[], source: Source, output: FileHandle, refuse: (what: string) => never, signal: AbortSignal, listPath: string): Promise<'checked' | 'stopped'> {
  const first = rows[0];
  if (!first) return 'checked';
  let next = 0;
  let recordStart = first.inputStart;
  const iterator = source.records(first.inputStart, first.index)[Symbol.asyncIterator]();
  try {
    while (next < rows.length) {
      if (signal.aborted) return 'stopped';
      const item = await iterator.next();
      if (item.done) break;
      const start = recordStart;
      recordStart = item.value.byteEnd;
      const row = rows[next] as FailedRow;
      // The input's last row when the list was written, ended since by a line ending (the export grew): the same record.
      const record = withoutEndingAt(item.value, row.inputEnd);
      if (record.passThrough === true || record.index < row.index) continue;
      if (record.index !== row.index || start !== row.inputStart || record.byteEnd !== row.inputEnd || !record.text.ok) {
        const tooLarge = start === row.inputStart ? tooLargeToMend(listPath, row, record, source.format) : undefined;
        if (tooLarge) throw tooLarge;
        refuse(`does not match the input at row ${row.index}`);
      }
      const written = Buffer.alloc(row.outputEnd - row.outputStart);
      const { bytesRead } = await output.read(written, 0, written.length, row.outputStart);
      if (bytesRead !== written.length || !isWrittenFailure(source, record, row.code, written)) {
        refuse(`does not match the output at row ${row.index} (bytes ${row.outputStart}-${row.outputEnd} are not that row as its run wrote it, failed with code ${row.code})`);
      }
      next += 1;
    }
  } finally {
    await iterator.return?.();
  }
  if (next < rows.length) refuse(`names row ${(rows[next] as FailedRow).index}, past the input's end`);
  return 'checked';
}
