import { readFile } from 'node:fs/promises';
import { isPlainObject } from '../io/dotted-path.js';
import type { Summary } from './summary.js';

/** The run that completed a job's output, as an "already done" rerun's summary names it (`completedBy`). */
export interface CompletedBy {
  /** When that run's summary was written. */
  finishedAt: string;
  /** That run's own seconds. */
  elapsedSeconds: number;
  /** That run continued a job an earlier run had started: its seconds are its own only. */
  resumed: boolean;
}

/** A summary file as read back: `finishedAt` is stamped as it is written (summary-file.ts). */
type Earlier = Partial<Summary> & { finishedAt?: unknown };

/**
 * An "already done" rerun replaces `--summary-json`, and its own seconds (3 s, reading nothing) were all a report
 * then said of the run, while the 6-minute run that scored the output was gone from the page; a schedule that fires
 * more often than exports arrive always showed it (newuser14). The rerun's summary keeps, as `completedBy`, the
 * figures of the run that completed the output, from the summary it replaces: that run's (status `done`, or an
 * output completed with rows failed over the limits), or the `completedBy` an earlier rerun carried. Only for the same
 * output with the same whole-job counts: a summary of another output, or of the job before a mend changed them, is
 * not that run's. Nothing else of the summary changes; without a summary to read, there is no `completedBy`.
 */
export async function withCompletedBy(summary: Summary, file: string | undefined): Promise<Summary> {
  if (file === undefined || !(summary.status === 'already-done' || summary.alreadyDone === true)) return summary;
  const before = await readEarlier(file);
  const completedBy = before && sameJob(before, summary) ? completedByOf(before) : undefined;
  return completedBy ? { ...summary, completedBy } : summary;
}

async function readEarlier(file: string): Promise<Earlier | undefined> {
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    return isPlainObject(data) ? (data as Earlier) : undefined;
  } catch {
    // None, unreadable or not JSON: the rerun's own summary replaces it, as before.
    return undefined;
  }
}

function sameJob(before: Earlier, now: Summary): boolean {
  const a = before.totals;
  const b = now.totals;
  return before.output === now.output && a !== undefined && a !== null && (['read', 'scored', 'skipped', 'failed'] as const).every((key) => a[key] === b[key]);
}

function completedByOf(before: Earlier): CompletedBy | undefined {
  if (before.status === 'already-done' || before.alreadyDone === true) return isCompletedBy(before.completedBy) ? before.completedBy : undefined;
  const completed = before.status === 'done' || before.outputComplete === true;
  const figures = { finishedAt: before.finishedAt, elapsedSeconds: before.elapsedSeconds, resumed: before.resumed === true };
  return completed && isCompletedBy(figures) ? figures : undefined;
}

export function isCompletedBy(value: unknown): value is CompletedBy {
  const v = value as Partial<CompletedBy> | undefined;
  return typeof v === 'object' && v !== null && typeof v.finishedAt === 'string' && typeof v.elapsedSeconds === 'number' && Number.isFinite(v.elapsedSeconds) && v.elapsedSeconds >= 0 && typeof v.resumed === 'boolean';
}
