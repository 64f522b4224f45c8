import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { settingToChange } from '../config/setting-names.js';
import { keepsCheckpoint } from '../io/format.js';
import type { Logger } from '../log.js';
import { journalPathFor } from '../journal/answer-journal.js';
import { failedRowsPathFor } from '../mend/failed-rows.js';
import { removeLeftoverTemps } from '../state/atomic-write.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { lockFaultOf } from '../state/lock-fault.js';
import { lockOutput, takeoverLine, waitLine, type LockWait, type LostLockEnding, type OutputLock } from '../state/output-lock.js';
import { ExitCode } from '../errors.js';
import { writeFailureSummaryJsonSync } from './summary-file.js';
import { LocklessRun } from './lockless-done.js';
import type { StopController } from './stop.js';
/**
 * One writer per output: the lock is taken before anything beside the output is read or written. In a folder
 * that cannot be written a completed job may still be found already done, writing nothing (`lockless`,
 * lockless-done.ts); any other refusal is thrown. Under the lock, the temp files beside the job's state are
 * those of runs killed mid-write, and are removed.
 */
export async function takeOutputLock(
  output: string,
  settings: JobSettings,
  deps: { log: Logger; stop: StopController },
): Promise<{ lock?: OutputLock; lockless?: LocklessRun }> {
  let lockless: LocklessRun | undefined;
  // A holder this run cannot check (another host or container) is watched for its heartbeat first: the log says so.
  const lockOptions = {
    onWait: (wait: LockWait) => {
      deps.stop.waitingForLock = true;
      deps.log.warn({ holder: wait.holder, seconds: wait.seconds }, waitLine(wait));
    },
    abort: deps.stop.waitingSignal,
    // A held lock's refusal names the output as the user gave it, as the summary does.
    typedOutput: settings.output,
    // The run ends at once (output-lock.ts). Its folder removed (exit 74), --summary-json says so, as every other
    // failure's does: it was left as the last run's ("done"). A lock another run took over (75) leaves the file to
    // that run, which replaces it when it ends, as a run the lock refused at its start does.
    beforeLostExit: (ending: LostLockEnding) => {
      if (ending.exitCode !== ExitCode.MachineFault || !settings.summaryJson) return;
      writeFailureSummaryJsonSync(settings.summaryJson, { status: 'failed', exitCode: ending.exitCode, message: ending.message, input: settings.input, finishedAt: new Date().toISOString() });
    },
  };
  const lock = await lockOutput(output, lockOptions)
    .catch((error: unknown) => {
      const job = { input: settings.input, output, restart: settings.restart, outputSetting: settingToChange(settings, 'output', '-o') };
      if (!keepsCheckpoint(settings)) throw lockFaultOf(error, job);
      lockless = LocklessRun.orThrow(error, job);
      return undefined;
    })
    .finally(() => (deps.stop.waitingForLock = false));
  if (!lock) return lockless ? { lockless } : {};
  if (lock.tookOverFrom) deps.log.warn({ holder: lock.tookOverFrom }, takeoverLine(lock.tookOverBecause ?? 'gone'));
  await removeLeftoverTemps(path.dirname(output), [checkpointPathFor(output), failedRowsPathFor(output), `${failedRowsPathFor(output)}.next`, journalPathFor(output), `${output}.partial`]);
  return { lock };
}
