/**
 * A run that starts the job over (its settings or its input differ from the checkpoint's) and stops before it has
 * written a checkpoint of its own leaves the old one beside the output: the same command, run again, starts over
 * again. A fault's line then must not promise "it continues from the checkpoint" (commands/fault-advice.ts): the mark rides
 * along with the error, as the run's figures do (run-figures.ts).
 */
const STARTING_OVER = new WeakSet<object>();

/** Marks `error` as stopping a run that was starting over before its first checkpoint, when `startingOver`. */
export function markStartingOver(error: unknown, startingOver: boolean): unknown {
  if (startingOver && typeof error === 'object' && error !== null) STARTING_OVER.add(error);
  return error;
}

/** Whether `error` stopped a run that was starting over, the checkpoint beside the output not yet its own. */
export function stoppedStartingOver(error: unknown): boolean {
  return typeof error === 'object' && error !== null && STARTING_OVER.has(error);
}
