/**
 * Whether JSON logs were asked for (`--log-format json`, or a job file's "logFormat": "json"), for the line an error
 * ends the command with (process/error-line.ts), also when the error is that the settings could not be resolved: an
 * unknown flag or job-file key is the likeliest error of a scheduled command, and its line must be JSON too. So, as
 * summaryJsonTarget does, the settings when there are any, else the raw arguments, else the job file's raw JSON.
 * Best effort: a value that is not `json` (`--log-format jsn`, itself the error) or a job file that is not JSON is
 * plain. `auto` (the default) is plain too: the line stays as it always was unless JSON was asked for by name.
 */
import { statSync } from 'node:fs';
import { jobFileText, pipedJobFileTextRead } from './job-file-text.js';
import type { JobSettings } from './options.js';
import { jobFileWord } from './job-file-word.js';
import { setJsonLinesAsked } from '../process/error-line.js';

const FLAG = '--log-format';

export function askedJsonLogs(argv: readonly string[], known: { settings?: Pick<JobSettings, 'logFormat'>; jobFile?: string }): boolean {
  if (known.settings) return known.settings.logFormat === 'json';
  const given = lastFlagValue(argv);
  if (given !== undefined) return given === 'json';
  return known.jobFile !== undefined && jobFileAsksJson(known.jobFile);
}

/**
 * From the process's raw arguments after `score` or `run` (the only commands that log; cli.ts calls it for them alone,
 * so that the others do not load the option table this reads them with), before the command is loaded: the closing line of a
 * signal that comes meanwhile (process/error-line.ts). The command sets it again once its settings are resolved.
 */
export function noteJsonLinesAsked(command: 'score' | 'run', rest: readonly string[]): void {
  setJsonLinesAsked(askedJsonLogs(rest, { jobFile: command === 'run' ? jobFileWord(rest) : undefined }));
}

/** The last value given to --log-format (the parser takes the last too), up to `--`. */
function lastFlagValue(argv: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg === FLAG && argv[i + 1] !== undefined) value = argv[++i];
    else if (arg.startsWith(`${FLAG}=`)) value = arg.slice(FLAG.length + 1);
  }
  return value;
}

/**
 * The job file's "logFormat" is "json" (a BOM skipped, as readJobFile skips it); false when it cannot be read as JSON.
 * Only a name ending .json is read again: `run reviews.csv` (refused, exit 2) may name gigabytes; a pipe the command has
 * read already (`run <(…)`, named /dev/fd/63) is taken from what it gave.
 */
function jobFileAsksJson(file: string): boolean {
  if (pipedJobFileTextRead(file) === undefined && !/\.json$/i.test(file)) return false;
  try {
    // A named pipe (`mkfifo job.json`, a writer behind it) is read once, by the command: read here, at the start
    // (noteJsonLinesAsked), it left the command nothing to read (exit 2, "nothing writes to it").
    // Once the command has read such a pipe, its text is kept (config/job-file-text.ts): the closing line of a job file
    // given through `<(…)` is JSON too when it asks for it.
    const text = pipedJobFileTextRead(file) ?? (statSync(file).isFile() ? jobFileText(file) : undefined);
    if (text === undefined) return false;
    const data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as { logFormat?: unknown } | null;
    return data?.logFormat === 'json';
  } catch {
    return false;
  }
}
