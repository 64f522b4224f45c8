import { withNumberOnlyRows, type NumberOnlyRows } from '../scoring/number-only-text.js';

/**
 * The whole output's scored rows per label (`POSITIVE`, `NEGATIVE`): every scored row it holds, whichever run wrote or
 * mended it. `--summary-json` gives them as `labels` (an alert on "how many NEGATIVE in tonight's file"), where
 * `run.labels` holds only this run's; the checkpoint carries them across runs beside the totals.
 */
export type LabelCounts = Record<string, number>;

/** Both labels, counted 0 until a row is scored as one: a script reading `labels.NEGATIVE` finds a number. */
function emptyLabelCounts(): LabelCounts {
  return { POSITIVE: 0, NEGATIVE: 0 };
}

/**
 * Counts a run could have written: a whole count per label, together the rows `scored`. Edited by hand, they would be
 * carried into every later summary as the file's counts.
 */
export function isLabelCounts(value: unknown, scored: number): value is LabelCounts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const counts = Object.values(value as Record<string, unknown>);
  if (!counts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return false;
  return (counts as number[]).reduce((sum, n) => sum + n, 0) === scored;
}

/**
 * The job's label counts as a run keeps them: from the checkpoint it continues (or none for a fresh start), added to as
 * rows are counted scored (the pipeline, a mend whose copy replaces the output), saved with the totals. Unknown
 * (`counts` undefined) for a job whose checkpoint was written before they were kept (2026-12-05) and that had scored
 * rows then: the summary leaves `labels` out rather than give the rows since as the file's.
 */
export class JobLabels {
  #counts: LabelCounts | undefined = emptyLabelCounts();
  /**
   * Of the same rows, those whose text is only a number that earlier runs wrote (the checkpoint's `numberOnly`) and
   * a mend scored (addNumberOnly); the pipeline's rows are its tally's (numberOnlyWith). Unknown as the counts are: a checkpoint older than them that had scored rows.
   */
  #numberOnly: NumberOnlyRows | undefined = withNumberOnlyRows(undefined, undefined);

  /** Continues from a checkpoint's counts (`undefined`: none, the job starts fresh). */
  startFrom(checkpoint: { labels?: LabelCounts | undefined; numberOnly?: NumberOnlyRows | undefined; totals: { scored: number } } | undefined): void {
    if (checkpoint === undefined) this.#counts = emptyLabelCounts();
    else if (checkpoint.labels !== undefined) this.#counts = { ...emptyLabelCounts(), ...checkpoint.labels };
    // An older checkpoint of a job that had scored nothing yet: its counts are known, both 0.
    else this.#counts = checkpoint.totals.scored === 0 ? emptyLabelCounts() : undefined;
    if (checkpoint === undefined || checkpoint.totals.scored === 0) this.#numberOnly = withNumberOnlyRows(undefined, undefined);
    else this.#numberOnly = checkpoint.numberOnly && { ...checkpoint.numberOnly };
  }

  /**
   * The whole output's rows whose text is only a number: the earlier runs' and `run` (this run's tally, or a mend's),
   * `{ rows: 0 }` when none; undefined when unknown (continued from a checkpoint that did not keep them).
   */
  numberOnlyWith(run: NumberOnlyRows | undefined): NumberOnlyRows | undefined {
    return this.#numberOnly && withNumberOnlyRows(this.#numberOnly, run);
  }

  /** One row counted scored as `label`. */
  scored(label: string): void {
    if (this.#counts) this.#counts[label] = (this.#counts[label] ?? 0) + 1;
  }

  /** Rows a mend scored, counted once its copy is to replace the output (as the totals count them). */
  add(counts: LabelCounts): void {
    for (const [label, count] of Object.entries(counts)) if (this.#counts) this.#counts[label] = (this.#counts[label] ?? 0) + count;
  }

  /** A copy of the counts now; undefined when unknown. */
  get counts(): LabelCounts | undefined {
    return this.#counts && { ...this.#counts };
  }

  /** Rows only a number a mend scored, counted once its copy is to replace the output (as the labels are). */
  addNumberOnly(rows: NumberOnlyRows | undefined): void {
    if (this.#numberOnly) this.#numberOnly = withNumberOnlyRows(this.#numberOnly, rows);
  }

  /** The earlier runs' and the mends' texts only a number, without this run's tally's (numberOnlyWith adds them). */
  get numberOnly(): NumberOnlyRows | undefined {
    return this.#numberOnly && { ...this.#numberOnly };
  }

  /** Puts back counts taken before (`counts`, `numberOnly`): a mend a fault ended before its copy replaced the output. */
  restore(counts: LabelCounts | undefined, numberOnly?: NumberOnlyRows): void {
    this.#counts = counts && { ...counts };
    if (numberOnly !== undefined) this.#numberOnly = { ...numberOnly };
  }
}
