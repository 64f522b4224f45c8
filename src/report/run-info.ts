import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, MachineFaultError } from '../errors.js';
import { machineFaultOf } from '../machine-fault.js';
import { writtenAgainAdvice } from '../machine-fault-advice.js';
import { STDOUT_PATH } from '../io/format.js';
import { leftOutputComplete, type Summary } from '../job/summary.js';
import { judgeJob } from '../job/job-failures.js';
import { usdForNeurons } from '../scoring/pricing.js';
import { checkpointPathFor, readCheckpoint, type Checkpoint, type OutputSettings } from '../state/checkpoint.js';
import { isTotals } from '../state/totals.js';
import { isCompletedBy } from '../job/completed-by.js';
import { whyUnreadable } from '../wording/unreadable-file.js';
import type { JobFiles } from './report-target.js';
import type { CopyOf } from './job-output-context.js';
import { refuseWrongKindBeside, refuseWrongKindGiven, wrongKindBeside } from './beside-kind.js';

/** The run that wrote the scored file, when its summary JSON or checkpoint is beside it. */
export interface RunInfo {
  /** The file the figures come from, or `this run`. */
  source: string;
  /**
   * The run's verdict. From a summary, its `status` (`done`, `already-done`,
   * `failed`...) with its `exitCode`. From a checkpoint alone (no exit code; only
   * one of a complete output is used): `done` (no row failed), `failed` (too many rows failed at any
   * limits: none succeeded), or `complete` (the output is complete with failed
   * rows, and whether they were too many depended on the run's --max-errors and
   * --max-error-rate, which the checkpoint does not record).
   */
  status: string | null;
  exitCode: number | null;
  requests: number;
  retries: number;
  neurons: number;
  /** Upper bound: neurons at the list price, before the daily free allocation. */
  costUsd: number;
  /** A model on this machine (embedded, --backend local) scored the rows: no requests, nothing to pay, no cost to bound. */
  offline: boolean;
  /** Wall time of the last session (a summary says it; a checkpoint does not). */
  durationSeconds: number | null;
  /**
   * The duration is the last run's only, while requests, retries and cost are the whole job's: the summary's run did
   * part of the job (it resumed it, mended it, or found it already done). False from a checkpoint (no duration).
   */
  durationOfLastRunOnly: boolean;
  /**
   * An "already done" rerun's summary that names the run that completed the output (its `completedBy`): the duration
   * (and `durationOfLastRunOnly`) are that run's, finished at `finishedAt`; `recheckedAt`, the rerun's, when its summary
   * says (a run's own summary, under `score --report`, is not written yet: null). Absent otherwise.
   */
  completedBy?: { finishedAt: string; recheckedAt: string | null };
  /** Records the job read, and so wrote to its output (its totals' `read`): a file that has another count was changed since. */
  rows: number;
  /**
   * The summary's `warning`, the line the run ended with (`the export had no rows: …`, another language…): the page says it
   * again, as it shows ROWS 0 and `No scored rows` of a header-only export that the terminal warned of. Absent without one,
   * or from a checkpoint (which keeps none).
   */
  warning?: string;
}

export interface RunContext {
  run: RunInfo | null;
  model: string | null;
  /** Settings the run used (from its checkpoint): text column, prefix, --long-text. */
  settings: Partial<OutputSettings> | null;
  /** The job's input and the summary used, which `report -o` must not replace. */
  jobFiles: JobFiles;
  /**
   * The summary or checkpoint found beside the file whose figures were left aside: a later run of the
   * job (in progress, killed, or stopped before its output was complete) wrote it, not the run that
   * wrote this file, which is an earlier night's output still in place.
   */
  runLeftAside?: string[];
  /** The file is not the job's output but stands for it: its unfinished partial output, or a gzip copy (job-output-context.ts). */
  copyOf?: CopyOf;
}

/**
 * Looks beside the scored file for what the run left: `<file>.checkpoint.json`
 * and a summary JSON (`--summary-json`) named `<file>.summary.json` or
 * `<name>.summary.json` for `<name>.scored.<ext>` or `<name>.<ext>`. A summary or checkpoint found
 * there that names another output file is not used; one given with `--summary`
 * that does is refused. `runSummary`: the caller has the run's own summary (`score --report`), which it uses instead.
 */
export async function findRunContext(file: string, summaryPath?: string, runSummary = false): Promise<RunContext> {
  const beside = summaryPath !== undefined ? await givenSummary(summaryPath, file) : await findSummary(file, !runSummary);
  refuseWrongKindBeside(checkpointPathFor(path.resolve(file)), 'checkpoint', file, false);
  const loaded = await readCheckpoint(checkpointPathFor(path.resolve(file)), { shown: true }).catch(unreadCheckpoint);
  const ofThisFile = loaded.kind === 'ok' && sameFile(loaded.checkpoint.output.path, file) ? loaded.checkpoint : undefined;
  // A nightly job's output stays in place until the next night's run completes: meanwhile (that run working, killed,
  // or stopped) the summary and checkpoint beside it are that run's, of another export, not of the file's own run.
  const summary = summaryPath !== undefined || beside === undefined || leftOutputComplete(beside.summary) ? beside : undefined;
  const checkpoint = ofThisFile?.completed ? ofThisFile : undefined;
  const inputs = [ofThisFile?.input.path, beside?.summary.input].filter((input): input is string => typeof input === 'string' && input !== '' && input !== STDOUT_PATH);
  const jobFiles: JobFiles = {
    inputs: [...new Set(inputs)],
    ...(ofThisFile ? { inputIdentity: ofThisFile.input.identity } : {}),
    ...(beside ? { summary: beside.path } : {}),
  };
  if (summary) {
    return { run: runFromSummary(summary.summary, summary.path), model: summary.summary.model, settings: ofThisFile?.settings ?? null, jobFiles };
  }
  // Named when they leave the page without figures, or with the checkpoint's (of the run that completed the file).
  const leftAside = [beside?.path, checkpoint ? undefined : ofThisFile && checkpointPathFor(file)].filter((found) => found !== undefined);
  const aside = leftAside.length > 0 ? { runLeftAside: leftAside } : {};
  if (checkpoint) {
    const t = checkpoint.totals;
    return {
      run: {
        source: checkpointPathFor(file),
        status: checkpointStatus(checkpoint),
        exitCode: null,
        requests: t.requests,
        retries: t.retries,
        neurons: t.neurons,
        costUsd: usdForNeurons(t.neurons),
        offline: offlineModel(checkpoint.settings.modelId),
        durationSeconds: null,
        durationOfLastRunOnly: false,
        rows: t.read,
      },
      model: checkpoint.settings.modelId,
      settings: checkpoint.settings,
      jobFiles,
      ...aside,
    };
  }
  // The later run's settings still say how the job writes its columns (its prefix, its text column).
  return { run: null, model: ofThisFile?.settings.modelId ?? null, settings: ofThisFile?.settings ?? null, jobFiles, ...aside };
}

/**
 * A checkpoint beside the file that cannot be read is none, as before, unless the machine refused it (this user may
 * not read it, a failing disk): taken for none, the report went on without the run's figures and its text column,
 * and said 'the text column 'text' … is not in the header' of a file whose checkpoint names it. Said as what it is
 * now, with what to do, and no checkpoint promised to continue from: a report is simply made again.
 */
function unreadCheckpoint(error: unknown): { kind: 'none' } {
  if (error instanceof MachineFaultError && REFUSALS.has(error.errno)) throw machineFaultOf(error.cause, REPORT_READS) ?? error;
  return { kind: 'none' };
}

const REFUSALS = new Set(['EACCES', 'EPERM', 'EIO']);
/** A report only reads the job's files: read access is all it asks for, and a report is simply made again. */
const REPORT_READS = { ...writtenAgainAdvice('-o'), readsOnly: true };

export function runFromSummary(summary: Summary, source: string): RunInfo {
  // An "already done" rerun's own seconds (reading nothing) stood for the run: the run that completed the output's are said.
  const by = (summary.status === 'already-done' || summary.alreadyDone === true) && isCompletedBy(summary.completedBy) ? summary.completedBy : undefined;
  const finishedAt = (summary as { finishedAt?: unknown }).finishedAt;
  const completedBy = by ? { completedBy: { finishedAt: by.finishedAt, recheckedAt: typeof finishedAt === 'string' ? finishedAt : null } } : {};
  return {
    source,
    // A summary is checked for its output, model and totals only: a hand-made one may lack these.
    status: typeof summary.status === 'string' ? summary.status : null,
    exitCode: typeof summary.exitCode === 'number' ? summary.exitCode : null,
    requests: summary.totals.requests,
    retries: summary.totals.retries,
    neurons: summary.totals.neurons,
    costUsd: summary.estimatedCostUsd,
    // A hand-made summary may lack `remote`: its model's name says it then.
    offline: summary.remote === false || offlineModel(summary.model),
    // Nor elapsedSeconds, or not as a number: a string was a crash (toFixed), none "NaN h NaN min".
    durationSeconds: by ? by.elapsedSeconds : typeof summary.elapsedSeconds === 'number' && Number.isFinite(summary.elapsedSeconds) ? summary.elapsedSeconds : null,
    // A hand-made summary may lack `run`: then nothing says the run was part of the job.
    durationOfLastRunOnly: by ? by.resumed : summary.resumed === true || (isTotals(summary.run?.totals) && summary.run.totals.read !== summary.totals.read),
    ...completedBy,
    rows: summary.totals.read,
    ...(typeof summary.warning === 'string' && summary.warning !== '' ? { warning: summary.warning } : {}),
  };
}

/** The models on this machine, as checkpoints and summaries name them (`embedded:…`, `local:…`; Workers AI's are `workers-ai:@cf/…`, `@cf/…`). */
function offlineModel(modelId: string): boolean {
  return modelId.startsWith('embedded:') || modelId.startsWith('local:');
}

/**
 * `--summary PATH`: it must be a summary, and of this file (by name, as one found
 * beside it must be): another output's summary would put that run's requests,
 * retries and cost on this file's page. A run that wrote to standard output
 * (`-o -`) names no file, so its summary is taken as given. A gzip copy of the file it names (`gzip out.scored.csv`)
 * is that file: the figures and the row count (`changedSinceRun`) are checked as for the file itself.
 */
async function givenSummary(summaryPath: string, file: string): Promise<{ summary: Summary; path: string }> {
  refuseWrongKindGiven(summaryPath);
  const found = await readGivenSummary(summaryPath, file);
  const named = found.summary.output;
  if (named !== STDOUT_PATH && !sameFile(named, file) && !sameFile(`${named}.gz`, file)) {
    throw new ConfigError(
      `--summary ${summaryPath} is the summary of the run that wrote ${named}, not ${file}: give that file, or the --summary-json of the run that wrote ${file} (or no --summary)`,
    );
  }
  return found;
}

/**
 * The summary `--summary` names, or a line saying what is wrong with it: nothing there, not JSON, the summary of a
 * run that ended before it scored (a failure's: status, exitCode, message, no figures), or JSON of something else.
 */
async function readGivenSummary(summaryPath: string, file: string): Promise<{ summary: Summary; path: string }> {
  let text: string;
  try {
    text = await readFile(summaryPath, 'utf8');
  } catch (error) {
    if (REFUSALS.has((error as NodeJS.ErrnoException).code ?? '')) throw machineFaultOf(error, REPORT_READS) ?? error;
    throw new ConfigError(`--summary ${summaryPath}: cannot read it: ${whyUnreadable(error)}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`--summary ${summaryPath} is not JSON: give the file a run wrote with --summary-json`);
  }
  const s = (typeof data === 'object' && data !== null ? data : {}) as Partial<Summary>;
  if (typeof s.model === 'string' && typeof s.output === 'string' && isTotals(s.totals)) return { summary: s as Summary, path: summaryPath };
  const instead = `give the --summary-json of the run that wrote ${file} (or no --summary)`;
  if (typeof s.status === 'string' && typeof s.exitCode === 'number') {
    throw new ConfigError(`--summary ${summaryPath} is the summary of a run that ended before it scored (status ${s.status}, exit ${s.exitCode}): it holds no figures; ${instead}`);
  }
  throw new ConfigError(`--summary ${summaryPath} is not a summary written by --summary-json (it has no "output", "model" and "totals"): ${instead}`);
}

/** The most lenient limits a run can be given: a job they find too failed is exit 5 under any. */
const ANY_LIMITS = { maxErrors: undefined, maxErrorRate: 1, errorPlace: '' };

/**
 * The verdict a checkpoint allows, judged as the job judges a complete output
 * (job/job-failures.ts), never claiming more than it knows: `done` only when no
 * row failed, `failed` only when the job fails at any limits.
 */
function checkpointStatus(checkpoint: Checkpoint): 'done' | 'failed' | 'complete' {
  if (checkpoint.totals.failed === 0) return 'done';
  return judgeJob(checkpoint.totals, checkpoint.failureCounts, ANY_LIMITS, 'the whole job') ? 'failed' : 'complete';
}

/**
 * `strict`: a folder or a named pipe at a candidate's path is refused (beside-kind.ts); else (`score --report`, which
 * has its own run's summary and only looks for the path `-o` must not take) it is passed over, never read.
 */
async function findSummary(file: string, strict: boolean): Promise<{ summary: Summary; path: string } | undefined> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const candidates = [`${file}.summary.json`];
  // `<name>.summary.json` beside `<name>.scored.<ext>` (the nightly layout), or beside `<name>.<ext>`: `-o a1.csv
  // --summary-json a1.summary.json` is as natural a pair. Used only when it names this file (readSummary).
  const stem = /^(.*)\.scored\.[^.]+$/.exec(base) ?? /^(.+)\.[^.]+$/.exec(base);
  if (stem) candidates.push(path.join(dir, `${stem[1]}.summary.json`));
  for (const candidate of candidates) {
    const wrong = wrongKindBeside(candidate, 'summary JSON', file, true);
    if (wrong && strict) throw wrong;
    if (wrong) continue;
    const found = await readSummary(candidate, file);
    if (found) return found;
  }
  return undefined;
}

async function readSummary(file: string, scoredFile: string | undefined): Promise<{ summary: Summary; path: string } | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    // Absent or not JSON: no summary. One the machine refuses (this user may not read it, a failing disk) was taken
    // for none too, and the page went out without the run's figures and without a word: said as the checkpoint's is.
    if (REFUSALS.has((error as NodeJS.ErrnoException).code ?? '')) throw machineFaultOf(error, REPORT_READS) ?? error;
    return undefined;
  }
  const s = data as Partial<Summary>;
  if (typeof s !== 'object' || s === null || typeof s.model !== 'string' || typeof s.output !== 'string' || !isTotals(s.totals)) return undefined;
  if (scoredFile !== undefined && !sameFile(s.output, scoredFile)) return undefined;
  return { summary: s as Summary, path: file };
}

/** Same name: the files may have been moved together since the run. */
function sameFile(recorded: string, file: string): boolean {
  return path.basename(recorded) === path.basename(file);
}
