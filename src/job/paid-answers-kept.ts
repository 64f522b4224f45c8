import type { Checkpoint } from '../state/checkpoint.js';
import { backendOfModel } from './backend-switch.js';

/*
 * A run of the embedded model reads no kept answers (it scores a text faster than a look-up), so it kept none: started
 * over at an output whose job paid for its answers (a night the Workers AI secret was missing, `--backend embedded`),
 * its output replaced the paid one within a second, and the run back on Workers AI at that output paid for every row
 * again (fixtures/reviews.csv against serve: 27 requests, then 27 again). It keeps them now in `<output>.answers`
 * (kept-answers.ts), under their own model, and its job completing leaves that store (completed-job-files.ts), which
 * none of its runs reads: the run back on Workers AI finds them and sends nothing for them (27, then 0). The store goes
 * when a job of a model that reads it completes at that output, or with --restart.
 */

/** Whether a run of a model that reads no kept answers keeps the dropped job's: only answers that were paid for (Workers AI's). */
export function keepsPaidAnswersOf(checkpoint: Checkpoint): boolean {
  return backendOfModel(checkpoint.settings.modelId) === 'workers-ai';
}

/** What the start-over line says of who removes a store a run of the embedded model filled (kept-answers.ts answersLine). */
export const LEFT_FOR_LATER =
  "the embedded model reads no kept answers, so its job completing here leaves them; a Workers AI or local-model job completing here, or --restart, removes them";
