import path from 'node:path';
import { ExitCode, MachineFaultError, OutputKeptError } from '../errors.js';
import { refusalOf } from '../machine-fault.js';
import { syncDirectory } from '../state/atomic-write.js';
import type { StopController } from './stop.js';
import type { Summary } from './summary.js';

/**
 * The figures a run had reached when an error it could not turn into a summary stopped it (a disk that filled up
 * mid-run: exit 74): the requests paid so far, the rows the last checkpoint holds (saved-figures.ts). The error
 * reaches the command line as it is (its one line and exit code); the figures ride along with it, so `--summary-json`
 * and the terminal keep them, as the summary of a run stopped by the service (exit 4) keeps its own.
 */
const FIGURES = new WeakMap<object, Summary>();

/** Records `summary` as the figures of the run `error` stopped; the first recorded (the innermost run's) is kept. */
export function withRunFigures(error: unknown, summary: Summary): unknown {
  if (typeof error === 'object' && error !== null && !FIGURES.has(error)) FIGURES.set(error, summary);
  return error;
}

/** The figures of the run `error` stopped, if it had got that far (its pipeline started). */
export function runFiguresOf(error: unknown): Summary | undefined {
  return typeof error === 'object' && error !== null ? FIGURES.get(error) : undefined;
}

/**
 * The machine fault a run ended on and summarized instead of throwing (the answer journal refused by a full disk: the
 * scorer makes it the stop's reason, and the run, whose checkpoint and output the disk still took, returns a summary;
 * a mend cut short by it does too), carrying the summary's figures without its message. The command throws it, so it
 * is reported as every other machine fault is: its one line on standard error, the figures above it on standard
 * output. Returned, the run exited 74 with standard error empty and the line at the end of the summary (seen in
 * test/e2e-full-disk-figures.test.ts; test/e2e-journal-full-disk.test.ts). Undefined for any other summary.
 * A fault the scorer worded as machineFaultOf words it by default is handed on as the refusal it wraps, for the command
 * to word as it words a pass's (the advice names the job file's "output" when that set it, not -o).
 */
export function summarizedFault(summary: Summary, stop: StopController): unknown {
  const reason = stop.reason;
  if (summary.exitCode !== ExitCode.MachineFault || (reason?.kind !== 'fault' && reason?.kind !== 'fatal')) return undefined;
  const fault = reason.error;
  if (!(fault instanceof MachineFaultError)) return undefined;
  const { message: _line, ...figures } = summary;
  return withRunFigures(refusalOf(fault), figures);
}

/**
 * A failure once the job's output is complete (renamed to its path): the figures say so (`outputComplete`), and the
 * command reports the failure as what it is, with the output whole (OutputKeptError).
 */
export function outputKept(error: unknown, figures: Summary): OutputKeptError {
  withRunFigures(error, { ...figures, outputComplete: true });
  return new OutputKeptError(error);
}

/**
 * Makes the rename that completed the output durable. A folder's fsync refused (EIO on a failing disk) does not undo
 * the rename: the output is at its path, so the failure is said with the output complete (`outputComplete`), not as a
 * run stopped with its `.partial`, and the next run finds the job done.
 */
export async function syncCompletedOutput(output: string, figures: () => Summary): Promise<void> {
  try {
    await syncDirectory(path.dirname(output));
  } catch (error) {
    throw outputKept(error, figures());
  }
}
