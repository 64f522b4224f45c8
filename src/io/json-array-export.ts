import { peekFile } from './peek-file.js';
import { shellWord } from '../wording/shell-word.js';
import { isObjectLine, opensAsJsonLines } from './json-lines-look.js';

/** Enough of the file to see its first character past white space and a byte-order mark. */
const PEEK_BYTES = 64 * 1024;

/**
 * A `.json` file that holds a JSON array of records (BigQuery's and MongoDB Compass's "JSON" export, a `json.dump` of
 * rows), given to score, estimate or report: the conversion to JSON Lines, at once. The refusal said "reads with
 * --format jsonl", and only that second run said to convert it with `jq -c '.[]'`. Undefined when the file is not a
 * regular file that can be read, or does not open with `[` and a record (a job file, JSON Lines: the advice as before).
 */
export function jsonArrayAdvice(file: string, formatFlag: string): string | undefined {
  const head = peekFile(file, PEEK_BYTES)?.toString('utf8');
  if (head === undefined || !/^\uFEFF?\s*\[\s*(\{|$)/.test(head)) return undefined;
  const lines = file.replace(/\.json$/i, '.jsonl');
  return (
    `it holds a JSON array (one document), not JSON Lines, which ${formatFlag} jsonl would refuse: ` +
    `write one record per line, e.g. jq -c '.[]' ${shellWord(file)} > ${shellWord(lines)}, then run the same command on that file`
  );
}

/**
 * A `.json` file that holds one JSON object per line (BigQuery's JSON export, `export-000000000000.json`), given to
 * score, estimate or report: told first "a job file runs with: sentiment-batch run …", the run of it then said it was
 * JSON Lines to score with --format jsonl. Its first two lines say so at once. Undefined when they do not (a job file,
 * one record, a first line longer than the bytes peeked): the advice as before.
 */
export function jsonLinesAdvice(file: string, formatFlag: string): string | undefined {
  const peeked = peekFile(file, PEEK_BYTES);
  if (peeked === undefined) return undefined;
  // Complete lines only: the last piece may be cut by the peek, unless the peek read the whole file (a last line
  // without a line feed is whole).
  const lines = peeked.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  if (!opensAsJsonLines(peeked.length < PEEK_BYTES ? lines : lines.slice(0, -1))) return undefined;
  return `it holds one JSON object per line, JSON Lines (as BigQuery names its exports): add ${formatFlag} jsonl (or name it .jsonl)`;
}

/**
 * A `.json` file that holds one JSON object, given to score (or report): a job file, or one record of data (a one-row
 * export). It was told "a job file runs with: sentiment-batch run …" first and "a JSON Lines export (one object per
 * line) reads with --format jsonl", which a one-object file does not look like; `run` then sent data back to
 * `score --format jsonl`. Both, at once, in the same words `run` uses. `job` false (report, a .json.gz): the data only.
 * Undefined when the peeked bytes are not one whole JSON object.
 */
export function oneObjectAdvice(file: string, formatFlag: string, job: boolean): string | undefined {
  const head = peekFile(file, PEEK_BYTES)?.toString('utf8');
  if (head === undefined || !isObjectLine(head.replace(/^\uFEFF/, ''))) return undefined;
  // Written over several lines (pretty-printed), it is no JSON Lines until on one line: --format jsonl refused it with
  // a jq line for arrays ('.[]', which turns an object into its values).
  const data = /[\r\n]/.test(head.trim())
    ? `one record of data, written on one line (jq -c . ${shellWord(file)} > ${shellWord(file.replace(/\.json$/i, '.jsonl'))}), reads as JSON Lines`
    : `one record of data reads with ${formatFlag} jsonl (or name it .jsonl)`;
  return job ? `it holds one JSON object: a job file runs with sentiment-batch run ${shellWord(file)}; ${data}` : `it holds one JSON object: as ${data}`;
}
