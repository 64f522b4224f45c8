import { jobAdvice, machineFaultOf } from '../machine-fault.js';
import { continuesFromCheckpoint } from './checkpoint.js';

/**
 * The line for a machine fault met taking the output's lock (a full disk while
 * its owner file is written, a read-only folder): it names the lock (see
 * createOwnedFolder), and says the next run continues from the checkpoint only
 * when it will: a first run has none (nor has a job whose checkpoint path is a
 * folder), --restart starts over, and `continues` is false when the run, having
 * compared its settings and input with the checkpoint's, was starting over
 * (job/lockless-done.ts), `startsOver` then saying why (job/resume.ts). `outputSetting`: what "write elsewhere (…)"
 * names (default -o; config/setting-names.ts settingToChange). Any other error is returned as it is.
 */
export function lockFaultOf(error: unknown, job: { input: string; output: string; restart: boolean; outputSetting?: string }, continues = true, startsOver?: string): unknown {
  const advice = jobAdvice(continues && continuesFromCheckpoint(job), job.outputSetting);
  // Known only once the run compared the checkpoint, before it wrote a byte: the next run starts over, and this one left the checkpoint as it was.
  const again = startsOver === undefined ? advice.again : `${advice.again} (it starts over, as ${startsOver}; this run wrote nothing: the checkpoint is as it was)`;
  return machineFaultOf(error, { ...advice, again }) ?? error;
}
