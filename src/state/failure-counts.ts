/**
 * What the job's totals do not tell about its failed rows (for the verdict of
 * job/job-failures.ts), carried across
 * resumes in the checkpoint with the totals (their `read` and `failed` are the
 * rest of what the verdict needs).
 */
export interface FailureCounts {
  /** Rows that failed while being read: ragged rows, lines that are not JSON objects, a missing text field. */
  unreadable: number;
  /** Rows that reached the model (not answered from the cache or by another row's request, its scores or its failure, in this run or an earlier one)... */
  sent: number;
  /** ...and of them those that failed and still are (a row mended later no longer counts). */
  sentFailed: number;
}

export function emptyFailureCounts(): FailureCounts {
  return { unreadable: 0, sent: 0, sentFailed: 0 };
}

export function isFailureCounts(value: unknown): value is FailureCounts {
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(emptyFailureCounts()).every((key) => {
    const n = (value as Record<string, unknown>)[key];
    return Number.isSafeInteger(n) && (n as number) >= 0;
  });
}

/** Adds one written row to `counts`, as the run's guard sees it (error-guard.ts). */
export function countRow(counts: FailureCounts, failed: boolean, reachedModel: boolean, readFailure: boolean): void {
  if (readFailure) counts.unreadable += 1;
  if (!reachedModel) return;
  counts.sent += 1;
  if (failed) counts.sentFailed += 1;
}

/** Rows a mend scored after they had failed transiently as rows that reached the model (not duplicates): they count as succeeded now. */
export function countMended(counts: FailureCounts | undefined, mended: number): void {
  if (counts) counts.sentFailed = Math.max(0, counts.sentFailed - mended);
}
