import { machineFaultOf } from '../machine-fault.js';
import { jobAdvice } from '../machine-fault-advice.js';
import { counted } from '../wording/counted.js';
import { continuesFromCheckpoint } from './checkpoint.js';

/**
 * What the next run does, known once this one compared its settings and input with the checkpoint, before it wrote a
 * byte (job/lockless-done.ts): starts over (`startsOver`: why, job/resume.ts), or scores again the `mends` rows that
 * the completed output's list holds as failed transiently (mend/mend-job.ts).
 */
export type NextRun = { startsOver: string } | { mends: number };

/**
 * The line for a machine fault met taking the output's lock (a full disk while
 * its owner file is written, a read-only folder): it names the lock (see
 * createOwnedFolder), and says the next run continues from the checkpoint only
 * when it will: a first run has none (nor has a job whose checkpoint path is a
 * folder), --restart starts over, and `continues` is false when the run, having
 * compared its settings and input with the checkpoint's, was starting over
 * (job/lockless-done.ts). `next`: what the next run does, said with what this
 * one left as it was. `outputSetting`: what "write elsewhere (…)" names
 * (default -o; config/setting-names.ts settingToChange). Any other error is returned as it is.
 */
export function lockFaultOf(error: unknown, job: { input: string; output: string; restart: boolean; outputSetting?: string }, continues = true, next?: NextRun): unknown {
  const advice = jobAdvice(continues && continuesFromCheckpoint(job), job.outputSetting);
  return machineFaultOf(error, { ...advice, again: againLine(advice.again, next) }) ?? error;
}

/** "Run the same command again", and what that run does, when known: this run changed nothing (and a mend paid nothing). */
function againLine(again: string, next: NextRun | undefined): string {
  if (next === undefined) return again;
  if ('startsOver' in next) return `${again} (it starts over, as ${next.startsOver}; this run wrote nothing: the checkpoint is as it was)`;
  return `then run the same command again (it scores again just the ${counted(next.mends, 'row')} that failed transiently; this run sent nothing and wrote nothing: the output and the checkpoint are as they were)`;
}
