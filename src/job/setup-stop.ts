import { existsSync } from 'node:fs';
import type { StopController } from './stop.js';

/**
 * Between the slow steps of a job's setup (the model, the tokenizer, the result cache): a signal that came meanwhile
 * ends the run there, nothing written (StopController.throwIfInterrupted), except when a completed output is at its
 * path: that job's rerun (a mend, "already done") acts on the stop itself within moments, and its summary says the
 * output is whole (`outputComplete`) and how many rows a rerun still mends, which a stop here could not know.
 */
export function stopInSetup(stop: StopController, output: string | undefined): void {
  if (stopLeftToRerun(output)) return;
  stop.throwIfInterrupted();
}

/**
 * Whether a signal while the job sets up is left to the run to act on once the setup is through (an output is at its
 * path: a completed job's rerun), rather than ending it there. The line a signal logs says which (signal-line.ts).
 * `output` undefined: no output file (`-o -`), so no rerun of a completed job; a file named '-' in the working folder
 * (the path '-' resolves to) is the user's, and made the setup leave the stop to a rerun there is none of.
 */
function stopLeftToRerun(output: string | undefined): boolean {
  return output !== undefined && existsSync(output);
}

/** As the line of a signal now sees it: not while a step that waits (setupStep) is under way, which the signal ends there. */
export function setupLeavesStopToRerun(stop: StopController, output: string | undefined): boolean {
  return stop.settingUp && !stop.waitingInSetup && stopLeftToRerun(output);
}

/**
 * The last of those steps: from here a signal no longer ends the run where it is (the output is opened and its first
 * checkpoint saved, then the run stops), so the line logged for it says so (signal-line.ts). A signal is handled only
 * when the event loop turns, and a step may not let it (the tokenizer loads synchronously, about a second on a busy
 * machine): one that came then was handled after this point, as a stop of a run under way, which opened its output
 * and saved a checkpoint. The loop is let turn first: a signal is read in its poll phase, and the phase it is in now may
 * be past that one (one setImmediate was not enough, seen with the CLI), so the check phase is awaited twice: the
 * second comes after a whole turn, poll included.
 */
export async function setupDone(stop: StopController, output: string | undefined): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  stopInSetup(stop, output);
  stop.settingUp = false;
}

/**
 * A setup step that waits on something outside (the Redis behind --redis: up to 5 s when it never answers) is given
 * the stop's signal and ended by it, and the run there (exit 130). So too for a completed output: its rerun could act
 * on the stop only once the step was through, and a Redis that never answers ended it exit 2, 5 s after the signal.
 */
export async function setupStep<T>(stop: StopController, step: (abort: AbortSignal) => Promise<T>): Promise<T> {
  stop.waitingInSetup = true;
  return step(stop.waitingSignal)
    .catch((error: unknown) => {
      stop.throwIfInterrupted();
      throw error;
    })
    .finally(() => (stop.waitingInSetup = false));
}
