import { peekFile } from './peek-file.js';
import { shellWord } from '../wording/shell-word.js';

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
