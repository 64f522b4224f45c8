import { rm } from 'node:fs/promises';
import { stdinToFile } from '../io/format.js';
import type { Logger } from '../log.js';
import { groupedNumber } from '../wording/grouped-number.js';

/**
 * What `<output>.partial` is after a run on standard input stopped short (a budget or the daily allocation: exit 75; an
 * outage: exit 5; a signal), or undefined for any other run. The first line named it as a job's unfinished output
 * ("Paused; …: out.csv.partial"), yet no checkpoint goes with it: no run continues it, and the next run at that output
 * replaces it, a run on the same stream or on a file. It holds the rows this run wrote, paid for: kept, and said so.
 * `shown`: the file as the first line names it; `rows`: the rows written (scored, skipped and failed).
 */
export function stdinPartialLine(job: { input: string; output: string }, shown: string, rows: number): string | undefined {
  if (!stdinToFile(job)) return undefined;
  if (rows === 0) return `no row was written, so no ${shown} is left: the next run at this output starts from the beginning`;
  const these = rows === 1 ? 'the 1 row' : `the ${groupedNumber(rows)} rows`;
  return `${shown} holds ${these} this run wrote, the first of the input, in order: no run continues it (standard input is read afresh each time), and the next run at this output replaces it, so copy it elsewhere to keep them`;
}

/** A run on standard input stopped before it wrote a row: its output names no file, there being none left. */
export function wroteNoRow(job: { input: string; output: string; totals: { read: number } }): boolean {
  return stdinToFile(job) && job.totals.read === 0;
}

/**
 * A run on standard input (no checkpoint) that stopped before it wrote a row: its `<output>.partial` holds the header
 * alone, which nothing continues and nothing was written into (lowfix53 found it kept): removed. One that holds rows
 * is kept, as they may have been paid for. A removal refused is said, the file then left as it is.
 */
export async function removeRowlessPartial(partialPath: string, rowsWritten: number, log: Logger): Promise<void> {
  if (rowsWritten > 0) return;
  await rm(partialPath, { force: true }).catch((error: unknown) => log.warn(`could not remove ${partialPath}, which holds no row (its header alone): ${(error as Error).message}`));
}
