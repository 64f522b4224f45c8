import type { JobSettings } from '../config/options.js';
import { PathClashError } from '../errors.js';
import { STDOUT_PATH } from '../io/format.js';
import { summaryJsonTarget } from '../job/summary-file.js';
import { mayHoldFailureSummary } from '../paths/summary-target.js';
import { refusedByLock } from '../state/output-lock.js';
import { lostToOtherRunsLock } from '../state/other-run-lock.js';

/**
 * Where `score` or `run`, ended by `failure`, writes its --summary-json, or undefined: every exit leaves a fresh
 * one, failures before or during the run included. `settings`: undefined when they could not be resolved; the
 * path is then read from the raw arguments, or from `jobFile` (the job file the arguments name, or the raw
 * arguments' guess: job-file-word.ts).
 */
export function failureSummaryTarget(
  command: 'score' | 'run',
  argv: readonly string[],
  settings: JobSettings | undefined,
  jobFile: string | undefined,
  failure: unknown,
): string | undefined {
  const target = settings ? settings.summaryJson : summaryJsonTarget(command, argv, jobFile);
  // ...except when that path is the input, the output or the report (the refusal must leave it as it was), or '-' (refused: not a file).
  const clashes = failure instanceof PathClashError && failure.flags.includes('--summary-json');
  // Unresolved settings were never compared: then only a missing file or an earlier summary is replaced.
  const mayWrite = target !== undefined && target !== STDOUT_PATH && !clashes && (settings !== undefined || mayHoldFailureSummary(target));
  // A run refused by the output's lock touched nothing: the summary file is most likely the running job's (the same
  // command fired twice), which that run replaces when it ends. Its exit code (75, or 130 for a signal while it
  // waited) says "try later". So for a run that found another run's lock at its own's path (its folder swapped under
  // it): that run is writing, and replaces the file when it ends, as the heartbeat's stop leaves it (take-output-lock.ts).
  const refused = refusedByLock(failure) || lostToOtherRunsLock(failure);
  return target && mayWrite && !refused ? target : undefined;
}
