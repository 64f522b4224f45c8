/**
 * The progress line's ETA: the seconds the rows left should take.
 *
 * Rows answered from a store (the result cache, the answer journal of a resumed or dropped job, an earlier row's
 * answer) cost next to nothing, rows that need a request (or a model call) cost its time. A run that resumes or
 * reruns with a store answers its first rows from it in a burst, then sends requests for the rest: a rate over the
 * whole pass counts that burst and promised the requests left in no time (ETA 0 s with 900 requests, 25 s, to go).
 * So the rate is measured from the first row that cost a request: the burst before it is left out, while store hits
 * mixed in among the requests after it (a cache rerun with some texts changed) count at the pace they came, as the
 * rows left are expected to. Before any such row, the whole pass's rate is all there is.
 */
export interface EtaInput {
  /** Rows the input still holds (estimated from its bytes left). */
  rowsLeft: number;
  /** Seconds since the pass started, and rows answered in it so far. */
  seconds: number;
  answered: number;
  /** When the first row that cost a request was answered (seconds since the pass started), and the rows answered by then, itself included. */
  firstCostly?: { seconds: number; answered: number } | undefined;
}

/** Whole seconds, or undefined while there is no rate to go by. */
export function estimateEtaSeconds(input: EtaInput): number | undefined {
  const from = input.firstCostly ?? { seconds: 0, answered: 0 };
  const seconds = input.seconds - from.seconds;
  const rows = input.answered - from.answered;
  if (seconds <= 0 || rows <= 0) return undefined;
  return Math.round(Math.max(0, input.rowsLeft) / (rows / seconds));
}
