/**
 * What the job's totals do not tell about its failed rows (for the verdict of
 * job/job-failures.ts), carried across
 * resumes in the checkpoint with the totals (their `read` and `failed` are the
 * rest of what the verdict needs).
 */
export interface FailureCounts {
  /** Rows that failed while being read (job/reader-failures.ts): ragged rows, lines that are not JSON objects, a missing text field... */
  unreadable: number;
  /** Rows that reached the model (not answered from the cache or by another row's request, its scores or its failure, in this run or an earlier one)... */
  sent: number;
  /** ...and of them those that failed and still are (a row mended later no longer counts). */
  sentFailed: number;
  /**
   * ...and of those the ones that failed transiently (the service failing: 5xx, timeouts, no connection), which
   * the verdict words as an outage rather than rows refused for their text. Absent in a checkpoint written before
   * it was kept: the verdict then sends the reader to the error column, as it did.
   */
  sentFailedTransient?: number;
  /**
   * Rows failed by `--long-text fail` (over 512 tokens): neither unreadable nor sent, yet failed rows, judged among the
   * rows read. Absent in a checkpoint written before it was kept (2026-12-05): the verdict then cannot tell them apart
   * and judges them as it did (only a job of nothing but failures fails for them).
   */
  tooLong?: number;
}

export function emptyFailureCounts(): FailureCounts {
  return { unreadable: 0, sent: 0, sentFailed: 0, sentFailedTransient: 0, tooLong: 0 };
}

export function isFailureCounts(value: unknown): value is FailureCounts {
  if (typeof value !== 'object' || value === null) return false;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const record = value as Record<string, unknown>;
  const transient = record['sentFailedTransient'];
  const tooLong = record['tooLong'];
  return (
    (['unreadable', 'sent', 'sentFailed'] as const).every((key) => count(record[key])) &&
    (transient === undefined || (count(transient) && (transient as number) <= (record['sentFailed'] as number))) &&
    (tooLong === undefined || count(tooLong))
  );
}

/** Adds one written row to `counts`, as the run's guard sees it (error-guard.ts). */
export function countRow(counts: FailureCounts, failed: boolean, reachedModel: boolean, readFailure: boolean, transient = false, tooLong = false): void {
  if (readFailure) counts.unreadable += 1;
  if (tooLong && counts.tooLong !== undefined) counts.tooLong += 1;
  if (!reachedModel) return;
  counts.sent += 1;
  if (!failed) return;
  counts.sentFailed += 1;
  if (transient && counts.sentFailedTransient !== undefined) counts.sentFailedTransient += 1;
}

/**
 * Rows a mend scored after they had failed transiently as rows that reached the model (not duplicates): they count as
 * succeeded now (and no longer as failed transiently: a mend retries only such rows).
 */
export function countMended(counts: FailureCounts | undefined, mended: number): void {
  if (!counts) return;
  counts.sentFailed = Math.max(0, counts.sentFailed - mended);
  if (counts.sentFailedTransient !== undefined) counts.sentFailedTransient = Math.min(counts.sentFailed, Math.max(0, counts.sentFailedTransient - mended));
}
