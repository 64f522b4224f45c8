import { setupLeavesStopToRerun } from './setup-stop.js';
import { ExitCode } from '../errors.js';
import { STDOUT_PATH } from '../io/format.js';
import type { StopController } from './stop.js';
import { leftOutputComplete, type Summary } from './summary.js';
import { typedPath } from '../wording/typed-path.js';

/**
 * The line logged when a signal asks the job to stop: what the stop does from where the job is. Waiting for another
 * run's lock, or still setting up (its model, tokenizer, Redis connection, result cache: job/setup-stop.ts; or reading a
 * copied input's consumed bytes, job/same-input.ts; or importing a dropped job's answers, job/kept-answers.ts), it has
 * nothing in flight and no checkpoint to save (it said "then saving the checkpoint" there too, and saved none); so
 * has the rerun of a completed job until its mend sends (it said so for a job already done too); afterwards it
 * finishes the requests in flight and saves the checkpoint, when it keeps one; once every row is written it completes
 * the output all the same (run.ts), which its line said nothing of. `output`: the job's output file, when it
 * keeps a checkpoint (none with standard input or `-o -`); with one at its path the setup does not end there
 * (setup-stop.ts): the rerun acts on the stop once set up, and a job already done ends 0, "Already done", which followed
 * "stopping while the job still sets up" before.
 */
export function signalLine(stop: StopController, keepsCheckpoint: boolean, output?: string): string {
  if (stop.waitingForLock) return 'stopping while waiting for the lock of another run: nothing was scored or written (exit 130)';
  if (output !== undefined && setupLeavesStopToRerun(stop, output)) {
    return 'stopping once the job has set up (its output is at its path: a rerun that finds the job already done ends 0, "Already done", as its work was done); nothing has been sent or written so far';
  }
  if (stop.keepingAnswersIn !== undefined && stop.keepingCompleted && stop.keepingJournal) {
    return `stopping while the answers in the completed job's journal are being kept: nothing has been sent, its output, checkpoint and journal are as they were, and the answers already kept in ${stop.keepingAnswersIn} stay there for the next run, which keeps the rest`;
  }
  if (stop.keepingAnswersIn !== undefined && stop.keepingCompleted) return `stopping while the answers of the completed job's output are being kept: nothing has been sent, its output and checkpoint are as they were, and the answers already kept in ${stop.keepingAnswersIn} stay there for the next run, which keeps the rest`;
  if (stop.keepingAnswersIn !== undefined) return `stopping while the answers the unfinished job paid for are being kept: nothing has been sent, its partial output, checkpoint and journal are as they were, and the answers already kept in ${stop.keepingAnswersIn} stay there for the next run, which keeps the rest`;
  if (stop.settingUp || stop.waitingInSetup) return 'stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save';
  if (stop.checkingCompleted) return 'stopping: this rerun of a completed job has sent nothing and written nothing, so nothing is in flight and there is nothing to save';
  if (stop.sealing) return 'every row is written: completing the output, then stopping there';
  if (stop.copyingGrown && output !== undefined) {
    return `stopping once the completed job's output is copied to ${output}.partial and the job made a paused one (one copy and fsync, not cut short): nothing has been sent, ${output} stays as it is, and the next run continues the job`;
  }
  return `stopping: finishing ${inFlight(stop)}${keepsCheckpoint ? ', then saving the checkpoint' : ' (standard input or output: no checkpoint is kept)'}`;
}

/**
 * What a stop waits for: a service's requests, or the rows an offline model (embedded, --backend local) is scoring. The
 * embedded demo, run with no account and no network, said "finishing requests in flight" as it stopped.
 */
function inFlight(stop: StopController): string {
  return stop.paidRequests ? 'requests in flight' : 'the rows being scored';
}

/**
 * The closing line of a second signal, which exits at once (process/signals.ts): once the job is under way, the requests
 * in flight are not waited for, and the next run sends them again (a paid service bills them twice: 3,035 requests for
 * 3,000 rows, docs/durability.md). It said only "second SIGTERM, exiting now"; --summary-json said they were abandoned.
 * Before the work begins (the lock, the setup, a completed job's check) nothing is in flight: the plain line.
 */
export function secondSignalLine(stop: StopController, signal: string): string {
  const plain = `second ${signal}, exiting now`;
  if (stop.waitingForLock || stop.settingUp || stop.waitingInSetup || stop.checkingCompleted || stop.sealing || stop.copyingGrown) return plain;
  if (!stop.paidRequests) return `${plain}: the rows being scored are abandoned, and the next run scores them again`;
  return `${plain}: the requests in flight are abandoned, and the next run sends them again (paid twice)`;
}

/**
 * What --summary-json says of a second signal, which exits at once: while the job still set up (or waited for the
 * lock) nothing had been sent or written; afterwards the requests in flight were not waited for.
 */
export function secondSignalWords(stop: StopController, signal: string): string {
  const whose = stop.keepingJournal ? "in the completed job's journal" : `of the ${stop.keepingCompleted ? 'completed' : 'unfinished'} job`;
  if (stop.keepingAnswersIn !== undefined) return `second ${signal}: exited at once, while the answers ${whose} were kept: nothing was sent, its files are as they were, and the answers already kept in ${stop.keepingAnswersIn} stay there for the next run`;
  if (stop.waitingForLock || stop.settingUp || stop.waitingInSetup) return `second ${signal}: exited at once, before the job began: nothing was sent or written`;
  if (stop.checkingCompleted) return `second ${signal}: exited at once, before this rerun of the completed job sent or wrote anything`;
  if (stop.copyingGrown) return `second ${signal}: exited at once, while the completed job's output was copied to continue it: nothing was sent, its output stays as it is, and the next run continues the job`;
  return `second ${signal}: exited at once, without waiting for ${stop.paidRequests ? 'the ' : ''}${inFlight(stop)}; the last checkpoint is kept`;
}

/**
 * The run's own summary, made and being written when a second signal came: what --summary-json gets as the process
 * exits 130 at once. A stop's summary (exit 130) is written as it is. A completed run's ("done", "already-done": the
 * first signal came as it wrote its summary, the second just after) keeps its figures and says its output is complete:
 * it said "the last checkpoint is kept", with no outputComplete, over the "done" already written, so a monitor took
 * the complete output for an unfinished one.
 */
export function hurriedSummary(finished: Summary, stop: StopController, signal: string, typedOutput?: string): Summary {
  if (finished.exitCode === ExitCode.Interrupted) return finished;
  const complete = stop.outputComplete || leftOutputComplete(finished);
  // Named as the user gave it (`typedOutput`), as the summary's first line names it.
  const output = finished.output === STDOUT_PATH ? 'written to standard output' : typedPath(finished.output, typedOutput);
  const message = complete ? `second ${signal}: exited at once as the run's summary was written; the output ${output} is complete` : secondSignalWords(stop, signal);
  return { ...finished, status: 'interrupted', exitCode: ExitCode.Interrupted, message, ...(complete ? { outputComplete: true as const } : {}) };
}
