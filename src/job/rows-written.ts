/**
 * A pass that wrote every row and was then stopped by a fault while it sealed the job (the list of failed rows made
 * final, the checkpoint that says "completed"): the rows are in the partial output and the answers paid for in the
 * journal, so the same command continues from the checkpoint and pays for no answer again. "Write elsewhere (-o)"
 * would start a new job there and pay for every row again: the fault's line must not offer it (commands/fault-advice.ts).
 * The mark rides along with the error, as the run's figures do (run-figures.ts).
 */
const EVERY_ROW_WRITTEN = new WeakSet<object>();

/** Marks `error` as met once every row was written, while the job was being sealed. */
export function markEveryRowWritten(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) EVERY_ROW_WRITTEN.add(error);
  return error;
}

/** Whether `error` stopped a run once every row was written (markEveryRowWritten). */
export function everyRowWritten(error: unknown): boolean {
  return typeof error === 'object' && error !== null && EVERY_ROW_WRITTEN.has(error);
}
