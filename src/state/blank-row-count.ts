/**
 * The whole output's blank rows (CSV rows whose every field is empty, io/csv-row.ts isBlankRow) across the runs of a
 * job: those earlier runs wrote, as the checkpoint keeps them (`blankRows`), and this run's tally's. An "already done"
 * rerun, which reads no row, says them again from there, in the run summary's words: an export of blank rows alone
 * was told to check its text column. Unknown (undefined) when continued from a checkpoint older than the count that
 * had skipped rows: the summary then says none rather than the rows since as the output's.
 */
export class JobBlankRows {
  #earlier: number | undefined = 0;

  /** Continues from a checkpoint's count (`undefined`: none, the job starts fresh). */
  startFrom(checkpoint: { blankRows?: number | undefined; totals: { skipped: number } } | undefined): void {
    // A checkpoint of no skipped row has no blank row, whatever its version.
    this.#earlier = checkpoint === undefined || checkpoint.totals.skipped === 0 ? 0 : checkpoint.blankRows;
  }

  /** The earlier runs' and `run` (this run's tally's, up to where it stands); undefined when unknown. */
  with(run: number | undefined): number | undefined {
    return this.#earlier === undefined ? undefined : this.#earlier + (run ?? 0);
  }
}

/** A count a run could have written: whole, at most the rows skipped. Edited by hand, every later summary would say it. */
export function isBlankRowCount(value: unknown, totals: { skipped: number }): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= totals.skipped;
}
