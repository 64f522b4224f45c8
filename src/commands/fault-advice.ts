import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { settingName, settingToChange } from '../config/setting-names.js';
import { SentimentBatchError } from '../errors.js';
import { STDIN_PATH } from '../io/format.js';
import { compressedInPlaceName, inPlaceAdvice } from '../job/input-unchanged.js';
import { stoppedBeforeContinuing } from '../job/grown-input.js';
import { everyRowWritten } from '../job/rows-written.js';
import { stoppedStartingOver } from '../job/starting-over.js';
import { completeOutputAdvice, grownJobAdvice, jobAdvice, sealingAdvice, writtenOutputAdvice, type FaultAdvice } from '../machine-fault-advice.js';
import { checkpointCompleted, continuesFromCheckpoint } from '../state/checkpoint.js';

/**
 * What the line of a fault that stopped `score` or `run` advises: what to change (-o, or the job file's "output") and
 * what the next run does. "It continues from the checkpoint" only when it will (a full disk may have refused the first;
 * --restart starts over, and so does a run that was starting over when it stopped, before it replaced the old
 * checkpoint). `outputComplete`: the output is whole at its path (a mend stopped by a full disk).
 */
export function faultAdvice(settings: JobSettings, failure: unknown, outputComplete: boolean): FaultAdvice {
  // Every row written, the checkpoint saying so, the rename that completes the output refused: no other -o either;
  // nor when the job was being sealed (the list of failed rows, the "completed" checkpoint: job/rows-written.ts).
  const startingOver = stoppedStartingOver(failure);
  const continues = !startingOver && continuesFromCheckpoint(settings);
  // Under --restart the same command starts over, paying for every row again: once this run has written every row,
  // the run that continues from its checkpoint is the same command without it, which the line then names. Only
  // then: a fault before (a completed job's folder read-only when --restart starts over) has no such run to name.
  const restart =
    settings.restart && !startingOver && everyRowWritten(failure) && continuesFromCheckpoint({ ...settings, restart: false })
      ? settingName(settings, 'restart', '--restart')
      : undefined;
  // Some run continues from this run's checkpoint: the same command, or (under --restart) the same without it.
  const checkpointContinued = continues || restart !== undefined;
  const outputSetting = settingToChange(settings, 'output', '-o');
  if (outputComplete) return completeOutputAdvice(outputSetting);
  // The checkpoint says completed, but this run was continuing it with the rows appended to the input (grown-input.ts).
  if (continues && stoppedBeforeContinuing(failure)) return grownJobAdvice(outputSetting);
  if (checkpointContinued && checkpointCompleted(settings.output)) return writtenOutputAdvice(outputSetting, restart);
  if (checkpointContinued && everyRowWritten(failure)) return sealingAdvice(outputSetting, restart);
  return jobAdvice(continues, outputSetting);
}

/**
 * A machine fault's advice when the input was gzipped (or gunzipped) in place while the job ran: "run the same command
 * again" would name the file gzip removed (exit 3, no such file), so the line names the one to read instead, as the
 * exit-3 line of that change does (job/input-unchanged.ts). Looked for only for a refusal this command words.
 */
export async function withInputMoved(advice: FaultAdvice, settings: JobSettings | undefined, failure: unknown): Promise<FaultAdvice> {
  if (settings === undefined || settings.input === STDIN_PATH || failure instanceof SentimentBatchError) return advice;
  const other = await compressedInPlaceName(path.resolve(settings.input), settings.input);
  if (other === undefined) return advice;
  // In a `run`, the job file's "input" names it: that is what to edit (the same command reads the job file).
  const input = { shownAs: settings.input, ...(settings.jobFile?.keys.has('input') ? { jobFile: settings.jobFile.path } : {}) };
  return { ...advice, again: advice.again.replace('run the same command again', inPlaceAdvice(input, other)) };
}
