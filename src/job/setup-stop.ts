import { existsSync } from 'node:fs';
import type { StopController } from './stop.js';

/**
 * Between the slow steps of a job's setup (the model, the tokenizer, the result cache): a signal that came meanwhile
 * ends the run there, nothing written (StopController.throwIfInterrupted), except when a completed output is at its
 * path: that job's rerun (a mend, "already done") acts on the stop itself within moments, and its summary says the
 * output is whole (`outputComplete`) and how many rows a rerun still mends, which a stop here could not know.
 */
export function stopInSetup(stop: StopController, output: string): void {
  if (existsSync(output)) return;
  stop.throwIfInterrupted();
}

/**
 * The last of those steps: from here a signal no longer ends the run where it is (the output is opened and its first
 * checkpoint saved, then the run stops), so the line logged for it says so (signal-line.ts).
 */
export function setupDone(stop: StopController, output: string): void {
  stopInSetup(stop, output);
  stop.settingUp = false;
}

/**
 * A setup step that waits on something outside (the Redis behind --redis: up to 5 s when it never answers) is given
 * the stop's signal and ended by it, and the run there (exit 130). So too for a completed output: its rerun could act
 * on the stop only once the step was through, and a Redis that never answers ended it exit 2, 5 s after the signal.
 */
export async function setupStep<T>(stop: StopController, step: (abort: AbortSignal) => Promise<T>): Promise<T> {
  return step(stop.waitingSignal).catch((error: unknown) => {
    stop.throwIfInterrupted();
    throw error;
  });
}
