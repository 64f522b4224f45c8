import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jobFileText, pipedJobFileTextRead } from '../config/job-file-text.js';
import { ExitCode, SentimentBatchError, errorMessage } from '../errors.js';
import { writeFileAtomic, writeFileAtomicSync } from '../state/atomic-write.js';
import { machineFaultOf } from '../machine-fault.js';
import { writtenAgainAdvice } from '../machine-fault-advice.js';
import type { Summary } from './summary.js';
import { STDIN_PATH, STDOUT_PATH } from '../io/format.js';

/** What `--summary-json` holds after a run that stopped before it could make a summary (exit 2, 3...). */
export interface FailureSummary {
  /** `interrupted`: a signal before the job had begun (exit 130), nothing under way. */
  status: 'failed' | 'interrupted';
  exitCode: number;
  message: string;
  input: string | undefined;
  finishedAt: string;
  /** The job's output is complete at its path all the same (OutputKeptError: a mend the machine refused). */
  outputComplete?: true;
  /** A fault met before the one the run ended on, which the next run meets once that is fixed (the output's lock refused: job/lockless-done.ts). */
  warning?: string;
  /** `score --report`: the report, not written by a run that failed. */
  report?: { path: string; written: false };
}

/**
 * `--summary-json` is replaced atomically on every exit, failures included, so
 * a scheduler never reads the previous run's "already-done" after a failure.
 */
export async function writeSummaryJson(file: string, summary: Summary | FailureSummary, setting = '--summary-json'): Promise<void> {
  try {
    await writeFileAtomic(file, summaryText(summary));
  } catch (error) {
    // `setting`: what a fault's line says to change, `"summaryJson" in job file …` when the job file gave it.
    throw machineFaultOf(error, writtenAgainAdvice(setting)) ?? error;
  }
}

/**
 * A failure's summary, or a stop's. When the machine refuses even that (a disk full to its last block: the run failed with exit 74
 * for the same reason), the previous run's summary is removed, which takes no room, rather than left to be read as
 * this run's (last night's "done, exit 0" after tonight's failure). Never throws: the failure itself is what is reported
 * (false when the summary was not written).
 */
export async function writeFailureSummaryJson(file: string, summary: Summary | FailureSummary): Promise<boolean> {
  try {
    await writeSummaryJson(file, summary);
    return true;
  } catch {
    await rm(file, { force: true }).catch(() => undefined);
    return false;
  }
}

/** writeFailureSummaryJson at once, for a process about to exit (a second signal). Never throws either. */
export function writeFailureSummaryJsonSync(file: string, summary: Summary | FailureSummary): void {
  try {
    writeFileAtomicSync(file, summaryText(summary));
  } catch {
    try {
      rmSync(file, { force: true });
    } catch {
      // exiting now matters more
    }
  }
}

/**
 * Every summary says when it was written (`finishedAt`, as a failure's always did): a run killed by SIGKILL (docker
 * kill, the OOM killer, exit 137) writes none, so the file is still the previous run's, and a scheduler reading
 * "done, exit 0" must be able to tell that it is last night's.
 */
function summaryText(summary: Summary | FailureSummary): string {
  const stamped = 'finishedAt' in summary ? summary : { ...summary, finishedAt: new Date().toISOString() };
  return `${JSON.stringify(withAbsolutePaths(stamped), null, 2)}\n`;
}

/**
 * The input and the report by their absolute paths, as the output already is (job/run.ts resolves it): a pipeline
 * reads the file from another folder than the run's, where `in.csv` or `out/r.html` as typed name nothing. The
 * input's `-` (standard input) stays `-`. Resolved against this process's folder, which the run never changes.
 */
function withAbsolutePaths<T extends Summary | FailureSummary>(summary: T): T {
  const input = summary.input !== undefined && summary.input !== STDIN_PATH ? path.resolve(summary.input) : summary.input;
  const report = summary.report && { ...summary.report, path: path.resolve(summary.report.path) };
  return { ...summary, input, ...(report ? { report } : {}) };
}

/**
 * A failure after the run had made its summary (the report or the summary file
 * could not be written): the run's figures stay, with what stopped the command,
 * and a complete output is said to be complete.
 */
export function afterRunFailure(finished: Summary, error: unknown): Summary {
  const failed = failureSummary(error, finished.input);
  const complete = finished.status === 'done' || finished.status === 'already-done' || finished.outputComplete === true;
  const summary: Summary = { ...finished, status: 'failed', exitCode: failed.exitCode, message: failed.message, ...(complete ? { outputComplete: true } : {}) };
  return finished.report ? withReportNotWritten(summary, finished.report.path) : summary;
}

/**
 * `score --report`: the summary of a run that wrote no report (not done, stopped, failed), which says so; last
 * night's page at that path must not pass for tonight's. A report the summary held already keeps its place in it.
 */
export function withReportNotWritten<T extends Summary | FailureSummary>(summary: T, reportPath: string): T {
  return { ...summary, report: { path: reportPath, written: false as const } };
}

export function failureSummary(error: unknown, input: string | undefined): FailureSummary {
  const exitCode = error instanceof SentimentBatchError ? error.exitCode : ExitCode.Internal;
  // A signal while the job set up (StopController.throwIfInterrupted) is a stop, as one before the job began.
  const status = exitCode === ExitCode.Interrupted ? 'interrupted' : 'failed';
  return { status, exitCode, message: errorMessage(error), input, finishedAt: new Date().toISOString() };
}

/** What `--summary-json` holds after a signal that came before the job had begun: exit 130, nothing was under way to save. */
export function interruptedBeforeWork(signal: string, input: string | undefined): FailureSummary {
  return { status: 'interrupted', exitCode: ExitCode.Interrupted, message: `stopped by ${signal} before any work began`, input, finishedAt: new Date().toISOString() };
}

/**
 * Where `--summary-json` points when the settings could not be resolved (a bad
 * flag, a bad job file): read from the raw arguments, then from the raw JSON of
 * `jobFile` (the parsed arguments', or config/job-file-word.ts's guess). Best
 * effort: undefined when neither says. Only a name ending .json is read: `run
 * reviews.csv` (refused) may name gigabytes.
 */
export function summaryJsonTarget(command: string, argv: readonly string[], jobFile: string | undefined): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--summary-json' && argv[i + 1] !== undefined) return argv[i + 1];
    if (arg.startsWith('--summary-json=')) return arg.slice('--summary-json='.length) || undefined;
  }
  if (command !== 'run' || jobFile === undefined) return undefined;
  // A pipe the command has read (`run <(envsubst < job.json)`, named /dev/fd/63) is taken whatever its name.
  const piped = pipedJobFileTextRead(jobFile);
  if (piped === undefined && !/\.json$/i.test(jobFile)) return undefined;
  let named: string | undefined;
  try {
    named = summaryJsonNamedIn(piped ?? jobFileText(jobFile));
  } catch {
    return undefined;
  }
  // "-" is refused for summaryJson (job-paths.ts), as --summary-json - is: not a file named '-' beside the job file.
  return named && named !== STDOUT_PATH ? path.resolve(path.dirname(path.resolve(jobFile)), named) : undefined;
}

/**
 * The job file's "summaryJson", also from a file that is not valid JSON: a hand edit that left a trailing comma
 * (or a comment) is exit 2, and a scheduler watching the summary must not go on reading last night's "done".
 * A BOM is skipped, as readJobFile skips it. Only one plain string value is taken: anything less clear names no file.
 */
function summaryJsonNamedIn(text: string): string | undefined {
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    const data = JSON.parse(json) as { summaryJson?: unknown };
    return typeof data.summaryJson === 'string' && data.summaryJson !== '' ? data.summaryJson : undefined;
  } catch {
    const found = [...json.matchAll(/"summaryJson"\s*:\s*("(?:[^"\\\r\n]|\\.)*")/g)];
    if (found.length !== 1) return undefined;
    try {
      const value = JSON.parse((found[0] as RegExpMatchArray)[1] as string) as string;
      return value !== '' ? value : undefined;
    } catch {
      return undefined;
    }
  }
}
