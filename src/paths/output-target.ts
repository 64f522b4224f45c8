import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { OUTPUT_COLUMN_SUFFIXES } from '../io/output-columns.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { fileEnds } from './file-ends.js';
import { statOrUndefined } from './same-file.js';
import { splitCsvLine } from '../io/split-csv-line.js';

/** How far the first line of a file at -o is read: a header (or a first JSONL record) longer than this is not recognised. */
const FIRST_LINE_BYTES = 1024 * 1024;
/** A checkpoint is a few KiB. */
const MAX_CHECKPOINT_BYTES = 1024 * 1024;

/** How the refusal names the output and what to do instead: `-o x.csv` / `choose another -o`. */
export interface OutputWords {
  head: string;
  instead: string;
}

/**
 * Refuses, before any work, an -o (a job file's "output", or the default `<input>.scored.<ext>`) that names a regular
 * file the run would replace whole and that is neither this job's output nor an earlier output: `score reviews.csv -o
 * reviews.csv.bak`, or a typo naming another export, replaced the user's file when the run completed, exit 0. Written
 * as before: nothing there, an empty file, a file the checkpoint beside it claims (`<output>.checkpoint.json` of
 * sentiment-batch), and an earlier output, recognised by its first line (earlierOutput). A symbolic link is judged by
 * its target (the rename replaces the link, and the link was most likely meant to reach that file); `--restart` changes
 * nothing here: it starts a job over, and licenses no file's loss.
 */
export function refuseReplacingNonOutput(given: string, words: OutputWords, delimiter: string | undefined): void {
  const absolute = path.resolve(given);
  const stats = statOrUndefined(absolute);
  if (!stats?.isFile() || stats.size === 0 || claimedByCheckpoint(absolute) || earlierOutput(absolute, delimiter) !== false) return;
  throw new ConfigError(
    `${words.head} is a file that is not an earlier output (${stats.size} bytes, and its first line holds no scores): it would be replaced whole when the run completes; ${words.instead}, or delete or move that file first`,
  );
}

/** A checkpoint of sentiment-batch beside the output: the job it describes wrote (or writes) that output. */
function claimedByCheckpoint(output: string): boolean {
  const file = checkpointPathFor(output);
  let text: string;
  try {
    const stats = lstatSync(file);
    if (!stats.isFile() || stats.size > MAX_CHECKPOINT_BYTES) return false;
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A checkpoint this user may not read is there all the same: the run's start names it and the access to give (exit 74).
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null && (data as Record<string, unknown>)['tool'] === 'sentiment-batch';
  } catch {
    return false;
  }
}

/**
 * Whether the first line of the file is one an output of score starts with: a CSV/TSV header ending with the five score
 * columns of one prefix (`<p>_label`, `<p>_positive`, `<p>_negative`, `<p>_truncated`, `<p>_error`), or a JSONL record
 * whose last field is a score (`"<p>": {"label", "positive", "negative"}` or `{"error": {"code", …}}`). Any prefix: an
 * output scored under another `--prefix` is still an output (a checkpoint at its side would have it replaced too).
 * Only the first line (JSONL: the first that is not blank) is read, within the first FIRST_LINE_BYTES of the file. Undefined when the file cannot be read (this user may
 * not): nothing is known of it, and the run's own steps meet the refusal, naming it (exit 74), as before.
 */
export function earlierOutput(file: string, delimiter: string | undefined): boolean | undefined {
  // The head alone: the tail would be a second MiB read at every start for nothing.
  const head = fileEnds(file, FIRST_LINE_BYTES, 0)?.head;
  if (head === undefined) return undefined;
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  // A line cut by the read's end is not known whole.
  const cut = head.length >= FIRST_LINE_BYTES;
  if (cut) lines.pop();
  const line = (at: number): string => (lines[at] ?? '').replace(/\r$/, '');
  // The CSV header ends at any line ending, a CR alone too (an export of Excel for Mac, scored as the reader reads it):
  // split at LF only, the whole of such an output was its "first line", refused.
  const csvLines = text.split(/\r\n|\n|\r/);
  if ((!cut || csvLines.length > 1) && delimitersOf(csvLines[0]!, delimiter).some((d) => endsWithScoreColumns(splitCsvLine(csvLines[0]!, d)))) return true;
  // JSONL keeps blank lines as they were, a first one too: its first record is the first line with anything on it.
  const first = lines.findIndex((text) => text.trim() !== '');
  return first >= 0 && endsWithScoreField(line(first));
}

/**
 * The delimiters the header may be split by: the run's, and each character near its end that is no letter, digit, `_`
 * or quote (the score columns' delimiter is there, whatever it is: an output of `--delimiter '^'` or a detected '；'
 * is known by a run that names none).
 */
function delimitersOf(header: string, given: string | undefined): string[] {
  const near = [...header.slice(-400)].filter((char) => !/[\p{L}\p{N}_"]/u.test(char));
  return [...new Set([given ?? ',', ...near])];
}

function endsWithScoreColumns(named: string[]): boolean {
  // Empty columns after the score columns: a spreadsheet that saved the output again added one (`…,sentiment_error,`).
  const fields = [...named];
  while (fields.length > 0 && fields.at(-1) === '') fields.pop();
  if (fields.length < OUTPUT_COLUMN_SUFFIXES.length) return false;
  const last = fields.slice(-OUTPUT_COLUMN_SUFFIXES.length);
  const first = `_${OUTPUT_COLUMN_SUFFIXES[0]}`;
  if (!last[0]!.endsWith(first) || last[0]!.length === first.length) return false;
  const prefix = last[0]!.slice(0, -first.length);
  return last.every((name, at) => name === `${prefix}_${OUTPUT_COLUMN_SUFFIXES[at]}`);
}

function endsWithScoreField(line: string): boolean {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  const entries = Object.entries(record as Record<string, unknown>);
  // The field goes before the closing brace; a line that was no object, or had the field, is wrapped: `{"<p>": {"error": …}, "raw": "…"}`.
  const wrapped = entries.length === 2 && entries[1]![0] === 'raw';
  return isScore(entries.at(wrapped ? 0 : -1)?.[1]);
}

function isScore(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { label, positive, negative, error } = value as Record<string, unknown>;
  if (typeof label === 'string' && typeof positive === 'number' && typeof negative === 'number') return true;
  return typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['code'] === 'string';
}
