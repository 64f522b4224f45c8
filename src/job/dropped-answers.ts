import type { Checkpoint } from '../state/checkpoint.js';
import { groupedNumber } from '../wording/grouped-number.js';

/**
 * What starting over drops of an unfinished job of another input (yesterday's export paused by a budget, a quota or an
 * outage, then today's at the same -o) or under changed settings, when its answers are not kept for the new job (kept-answers.ts keeps them, for
 * a run that can cut texts to the model's window: this is the line of a caller that does not): the requests it paid
 * for, and what keeps them. Said on the start-over line, while the run can still be stopped. Nothing to say for a
 * completed job (its output stays until the new one completes: the nightly routine), for a job that paid for nothing
 * (a local model), or with --cache (answers are kept there across jobs).
 */
export function droppedAnswersNote(checkpoint: Checkpoint, cache: boolean, completedToo = false, names: SettingNames = {}): string {
  const { requests, scored } = checkpoint.totals;
  if (checkpoint.completed && completedToo && !cache && requests > 0 && scored > 0) return completedPaidNote(checkpoint, names);
  if (checkpoint.completed || cache || requests === 0) return '';
  const what = requests === 1 ? 'the 1 request' : `the ${groupedNumber(requests)} requests`;
  return `; ${what} the unfinished job paid for are not reused by this one (run with --cache DIR to keep answers across jobs: a text answered before is not sent again)`;
}

/**
 * The same input started over under changed settings by a run that keeps no answers (the embedded model): a completed
 * paid job's output is replaced within a second, so switching back to its model paid for every row again (27 requests,
 * then 27 again, against serve, 2026-12-05), and the line said only "starting over". Kept answers are built for a model
 * with a window (kept-answers.ts); this says what is dropped, while the paid output is still at its path.
 */
function completedPaidNote(checkpoint: Checkpoint, names: SettingNames): string {
  const { requests, scored } = checkpoint.totals;
  const answers = scored === 1 ? 'the 1 answer' : `the ${groupedNumber(scored)} answers`;
  const paid = requests === 1 ? '1 request paid' : `${groupedNumber(requests)} requests paid`;
  return (
    `; ${answers} in the completed job's output (${paid}) ${scored === 1 ? 'is' : 'are'} not kept: this run's model keeps no answers and its output replaces that one, ` +
    `so a run at this output that asks ${checkpoint.settings.modelId} again sends them again (${keepInCache(names.cache ?? '--cache')} to keep answers across jobs, or give this run another ${names.output ?? '-o'} to keep that output)`
  );
}

/**
 * How the run was given its settings (setting-names.ts settingToChange): `--cache` and `-o`, or `"cache" in the job
 * file` and `"output" in the job file` for a job file's run, which was told flags it did not use.
 */
export interface SettingNames {
  output?: string;
  cache?: string;
}

const keepInCache = (setting: string) => (setting.startsWith('-') ? `run with ${setting} DIR` : `set ${setting} to a folder`);
