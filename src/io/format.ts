import { ConfigError } from '../errors.js';
import { didYouMeanValue } from '../config/did-you-mean.js';
import { SAVE_AS_CSV } from '../wording/save-as-csv.js';
import { jsonArrayAdvice, jsonLinesAdvice, oneObjectAdvice } from './json-array-export.js';
import { isGzipTarName, otherCompressionByName } from './other-compression.js';
import { gzipNotTarAdvice } from './gzip-not-tar.js';
import { textExportAdvice, utf16TextExportAdvice } from './txt-export.js';

export type InputFormat = 'csv' | 'tsv' | 'jsonl';

export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'tsv', 'jsonl'];

const extensions: ReadonlyArray<readonly [string, InputFormat]> = [
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
];

/** The path that means "read standard input". */
export const STDIN_PATH = '-';
/** The output path (`-o -`) that means "write the records to standard output". */
export const STDOUT_PATH = '-';

/**
 * Why a job keeps no checkpoint: it reads standard input (`score -`), which is read once, or it reads a file and writes
 * standard output (`-o -`), whose rows cannot be cut back nor appended to. Only the second has a way to keep progress
 * to offer: a file output (with standard input, a file output still keeps none).
 */
export type OneShot = 'stdin' | 'stdout';

/** Why a job on these paths keeps no checkpoint (it never resumes), or undefined when it keeps one. */
export function oneShotOf(job: { input: string; output: string }): OneShot | undefined {
  if (job.input === STDIN_PATH) return 'stdin';
  return job.output === STDOUT_PATH ? 'stdout' : undefined;
}

/** Whether a job on these paths keeps a checkpoint (oneShotOf says why not). */
export function keepsCheckpoint(job: { input: string; output: string }): boolean {
  return oneShotOf(job) === undefined;
}

/**
 * Whether a job reads standard input into a file (`-o <file>`): it keeps no checkpoint (keepsCheckpoint), yet it
 * leaves files beside its output that no run continues, the copy of the input (`<output>.stdin`) and its `<output>.partial`.
 */
export function stdinToFile(job: { input: string; output: string }): boolean {
  return job.input === STDIN_PATH && job.output !== STDOUT_PATH;
}

/**
 * The input's format and compression, from its extension (case-insensitive):
 * `.csv`, `.tsv`, `.jsonl`, `.ndjson`, each optionally followed by `.gz`.
 * With `override` (from `--format`; `report` calls it `formatFlag`, --input-format) the extension only decides `.gz`.
 * Standard input (`-`) has no extension, so it needs `--format`; whether it is gzip its bytes say (open-input.ts readInputFormat).
 */
export function detectFormat(path: string, override?: InputFormat, formatFlag = '--format'): { format: InputFormat; gzip: boolean } {
  if (override !== undefined && !INPUT_FORMATS.includes(override)) {
    throw new ConfigError(`${formatFlag} expects one of ${INPUT_FORMATS.join(', ')}, got '${String(override)}'${didYouMeanValue(override, INPUT_FORMATS)}`);
  }
  if (path === STDIN_PATH) {
    if (override === undefined) {
      throw new ConfigError(
        `reading standard input ('-') needs ${formatFlag} ${INPUT_FORMATS.join('|')}: there is no file extension to tell the format from`,
      );
    }
    return { format: override, gzip: false };
  }
  const lower = path.toLowerCase();
  // --format names what is inside: a compression's bytes then say what they are (utf8-check.ts), as a gzip tar's do
  // (csv-header.ts, jsonl-sample.ts tarByBytes); another archive's name still does.
  const other = otherCompressionByName(path, (stem) => extensions.some(([extension]) => stem.endsWith(extension)), override !== undefined);
  // A gzip CSV misnamed .tar.gz is told that --format reads it (gzip-not-tar.ts), not to extract what is no tar.
  if (other !== undefined) throw new ConfigError((override === undefined && isGzipTarName(lower) ? gzipNotTarAdvice(path, formatFlag) : undefined) ?? other);
  // Under --format a .tgz is read as the gzip its name says (otherCompressionByName left it to its bytes).
  const gzip = lower.endsWith('.gz') || (override !== undefined && isGzipTarName(lower));
  if (override !== undefined) return { format: override, gzip };
  const stem = gzip ? lower.slice(0, -'.gz'.length) : lower;
  for (const [extension, format] of extensions) {
    if (stem.endsWith(extension)) return { format, gzip };
  }
  // A workbook: --format would only read its ZIP bytes as text.
  if (isWorkbookName(stem)) {
    throw new ConfigError(`'${path}' is a spreadsheet workbook, not text: sentiment-batch reads CSV, TSV and JSONL; ${SAVE_AS_CSV} and score that file`);
  }
  // A job file given to score (`score jobs/nightly.json`), or a JSON Lines export named .json: --format csv|tsv|jsonl
  // alone would send the first to read its settings as reviews.
  if (stem.endsWith('.json')) {
    // A job file is never compressed: a .json.gz is an export (BigQuery names its gzip JSON exports so).
    const job = formatFlag === '--format' && !gzip ? `a job file runs with: sentiment-batch run ${path}; ` : '';
    // What the file's first bytes show it holds (a JSON array, or JSON Lines), when they do.
    const held = gzip ? undefined : (jsonArrayAdvice(path, formatFlag) ?? jsonLinesAdvice(path, formatFlag) ?? oneObjectAdvice(path, formatFlag, job !== ''));
    if (held !== undefined) throw new ConfigError(`cannot tell the format of '${path}' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; ${held}`);
    throw new ConfigError(
      `cannot tell the format of '${path}' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; ` +
        `${job}a JSON Lines export (one object per line) reads with ${formatFlag} jsonl (or name it .jsonl)`,
    );
  }
  const utf16 = !gzip && stem.endsWith('.txt') ? utf16TextExportAdvice(path, formatFlag) : undefined;
  // A UTF-16 one says so; any other says the format (and delimiter) its first line shows, when it shows one.
  const txt = utf16 ?? (!gzip && stem.endsWith('.txt') ? textExportAdvice(path, formatFlag) : undefined);
  if (txt !== undefined) throw new ConfigError(`cannot tell the format of '${path}' from its extension: .txt is not one of .csv, .tsv, .jsonl, .ndjson; ${txt}`);
  throw new ConfigError(
    `cannot tell the format of '${path}' from its extension: supported are ` +
      `${extensions.map(([extension]) => extension).join(', ')} (each optionally followed by .gz); ` +
      `name the format with ${formatFlag} ${INPUT_FORMATS.join('|')}`,
  );
}

/** The field delimiter a format uses when `--delimiter` is not given. */
export function defaultDelimiter(format: 'csv' | 'tsv'): string {
  return format === 'tsv' ? '\t' : ',';
}

/** A spreadsheet workbook's name (.xlsx, .xlsm, .xls, .ods, .numbers; lower case): never text this tool reads or writes. */
export function isWorkbookName(lowerCaseName: string): boolean {
  return /\.(xlsx|xlsm|xls|ods|numbers)$/.test(lowerCaseName);
}
