import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { STDOUT_PATH } from '../io/format.js';
import { sameStoredEnds } from '../io/open-input.js';
import { fileIdentity, sameFile } from '../paths/same-file.js';
import type { InputIdentity } from '../state/checkpoint.js';
import { isTotals } from '../state/totals.js';

/** What the run that wrote the scored file says of its job's other files: the input it read and the summary the report uses. */
export interface JobFiles {
  /** The job's input as its checkpoint or summary names it (relative to the folder the run was started in, which is not recorded). */
  inputs: string[];
  /** The input's size and modification time, from the checkpoint. */
  inputIdentity?: InputIdentity;
  /** The summary JSON the report takes the run's figures from. */
  summary?: string;
}

/**
 * `report -o` must not replace a file of the job that wrote the scored file: its
 * input (the export, named by the checkpoint or summary the report has just read) or
 * its summary JSON (the report's own source), nor any run's summary. The scored file
 * and the files kept beside it are refused earlier, with the flags (report-options.ts).
 */
export function refuseJobFileTarget(target: string, scoredFile: string, job: JobFiles, flag = '-o'): void {
  if (target === STDOUT_PATH) return;
  const at = fileIdentity(target);
  // Only a file that is there can be overwritten: a new name is never the input, whatever the recorded name resolves to.
  const exists = at.ino !== undefined;
  for (const recorded of job.inputs) {
    if ((exists && inputPlaces(recorded, scoredFile, job.inputIdentity).some((place) => sameFile(at, fileIdentity(place)))) || sameAsRecorded(target, job.inputIdentity)) {
      throw new ConfigError(`${flag} ${target} would overwrite the input ${recorded} of the run that wrote ${scoredFile}; choose another path`);
    }
  }
  if (job.summary !== undefined && sameFile(at, fileIdentity(job.summary))) {
    throw new ConfigError(`${flag} ${target} would overwrite the run summary ${job.summary} the report reads; choose another path`);
  }
  if (isRunSummary(target) !== undefined) throw new ConfigError(`${flag} ${target} would overwrite a run summary written by --summary-json; choose another path`);
}

/**
 * Where the input the run recorded may be now. A relative name was relative to the folder that run was started
 * in, which is not recorded: the scored file's folder (the usual `cd data && score export.csv`) is taken as it
 * is; this process's working folder, which may well hold another file of that name (`cd /tmp && report
 * rv2/d/fx.scored.csv -o fx.export` must not take /tmp/fx.export for the input fx.export), only when the
 * checkpoint recorded no size and time to tell: with them, the input there is found by sameAsRecorded.
 */
function inputPlaces(recorded: string, scoredFile: string, identity: InputIdentity | undefined): string[] {
  if (path.isAbsolute(recorded)) return [recorded];
  const inScoredFolder = path.resolve(path.dirname(scoredFile), recorded);
  return identity === undefined ? [inScoredFolder, path.resolve(recorded)] : [inScoredFolder];
}

/**
 * The file at `target` has the size the checkpoint recorded for the input, and its modification time or its first and
 * last 64 KiB: the input, or a copy of it, kept with its time or not (`cp -r`, a download: the job continues from such a
 * copy, job/same-input.ts, and a report must not overwrite it either).
 */
function sameAsRecorded(target: string, identity: InputIdentity | undefined): boolean {
  if (identity === undefined) return false;
  try {
    const stats = statSync(target);
    if (!stats.isFile() || stats.size !== identity.size) return false;
    return stats.mtimeMs === identity.mtimeMs || sameStoredEnds(target, identity);
  } catch {
    return false;
  }
}

/**
 * A summary JSON as `--summary-json` writes it (the shape run-info.ts reads), with the output it names; undefined for any
 * other file. Only small files are read: a summary is a few KiB.
 */
export function isRunSummary(file: string): { output: string } | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > 1024 * 1024) return undefined;
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    const summary = typeof data === 'object' && data !== null && typeof data['model'] === 'string' && typeof data['output'] === 'string' && isTotals(data['totals']);
    return summary ? { output: data['output'] as string } : undefined;
  } catch {
    return undefined;
  }
}
