import { shownStart } from '../wording/shown-start.js';
import { ConfigError } from '../errors.js';
import { counted } from '../wording/counted.js';
import { opensAsJsonLines } from '../io/json-lines-look.js';
import { isPlainObject } from '../io/dotted-path.js';

/**
 * An export given to `run` that its name does not tell apart from a job file: BigQuery names its JSON Lines exports
 * `.json` (`export-000000000000.json`, gzip `.json.gz`). The first met JSON.parse's "Unexpected non-whitespace
 * character after JSON at position 190", the second printed its gzip bytes as the unexpected token; neither said what
 * the file was or what to type.
 */
export function exportAsJobFile(file: string, text: string, command: JobFileCommand = 'run'): ConfigError | undefined {
  const { takes } = WORDS[command];
  // gzip's magic number, 1f 8b, read as UTF-8 (8b alone is no character: U+FFFD). A job file is plain JSON.
  if (text.startsWith('\u001f\uFFFD')) return gzipExportAsJobFile(file, command);
  const advice = jsonLinesAdvice(file, command);
  if (opensAsJsonLines(text.split('\n'))) {
    return new ConfigError(`${takes}, and ${file} holds one JSON object per line, a JSON Lines export: ${advice}`);
  }
  return undefined;
}

/**
 * A gzip-compressed export where a job file could be, in words and advice for `command`: `run x.json` that holds gzip
 * bytes, and `estimate x.json.gz` by its name (a job file is never compressed, so estimate reads it as an input, and
 * got the extension refusal of score, not the line its .json twin gets).
 */
export function gzipExportAsJobFile(file: string, command: JobFileCommand): ConfigError {
  return new ConfigError(`${WORDS[command].takes}, and ${file} is gzip-compressed, an export: ${jsonLinesAdvice(file, command)}`);
}

function jsonLinesAdvice(file: string, command: JobFileCommand): string {
  const { verb } = WORDS[command];
  return `to ${verb} it, run sentiment-batch ${verb} ${file} --format jsonl (with the same options)`;
}

/**
 * The commands that read a `.json` as a job file: `run`, and `estimate` (which takes an export too, so its advice is
 * to estimate the export, not to score it).
 */
export type JobFileCommand = 'run' | 'estimate';

const WORDS: Record<JobFileCommand, { takes: string; verb: string }> = {
  run: { takes: 'run takes a job file (JSON)', verb: 'score' },
  estimate: { takes: 'estimate takes an export or a job file (JSON)', verb: 'estimate' },
};

/**
 * A JSON export that parses, given to `run`: an array of records (BigQuery's and MongoDB Compass's "JSON" export, a
 * `json.dump` of rows). It was 'must hold a JSON object, got' and the whole array, megabytes on stderr, with no word
 * that it was an export nor how to score it: the reader takes JSON Lines.
 */
export function arrayExportAsJobFile(file: string, data: unknown, command: JobFileCommand = 'run'): ConfigError | undefined {
  if (!Array.isArray(data) || data.length === 0 || !data.every(isPlainObject)) return undefined;
  const lines = /\.json$/i.test(file) ? file.replace(/\.json$/i, '.jsonl') : `${file}.jsonl`;
  const { takes, verb } = WORDS[command];
  return new ConfigError(
    `${takes}, and ${file} holds a JSON array of ${counted(data.length, 'record')}, an export: ` +
      `write one record per line (jq -c '.[]' ${file} > ${lines}), then ${verb} it with sentiment-batch ${verb} ${lines} (with the same options)`,
  );
}

/**
 * The sentence for a job file most of whose keys are no job file's: a one-record JSON Lines export named `.json`
 * (BigQuery's `export-000000000000.json` of one row) parses as a job file, and is read as one by design; the
 * unknown-key line said nothing of the file being data. A record's columns can share a job file's key (a product's
 * `model` or `description`), so it is said while fewer than half its keys are a job file's, naming those. Empty for a
 * job file with a typo (its keys are mostly its own).
 */
export function recordAsJobFileHint(file: string, keys: readonly string[], isJobKey: (key: string) => boolean, command: JobFileCommand = 'run', oneLine = true): string {
  const known = keys.filter(isJobKey);
  if (known.length * 2 >= keys.length) return '';
  const { verb } = WORDS[command];
  const which = known.length === 0 ? "none of its keys is a job file's" : `only ${known.length} of its ${keys.length} keys ${known.length === 1 ? 'is' : 'are'} a job file's (${known.join(', ')})`;
  const data = `; ${which}: if ${file} is data (one record of an export), `;
  if (oneLine) return `${data}${verb} it: sentiment-batch ${verb} ${file} --format jsonl (with the same options)`;
  // Over several lines (jq . of a record) it is JSON Lines only once on one line: --format jsonl refuses it as it is.
  const lines = /\.json$/i.test(file) ? file.replace(/\.json$/i, '.jsonl') : `${file}.jsonl`;
  return `${data}write it on one line and ${verb} that: jq -c . ${file} > ${lines}; sentiment-batch ${verb} ${lines} (with the same options)`;
}

/** A value for a message, cut short: a job file's text may be anything, and all of it on stderr helps nobody. */
export function shownShort(text: string, limit = 80): string {
  return shownStart(text, limit);
}
