/**
 * Excel writes, and reads, a first line `sep=;` naming the delimiter of the
 * file, above the header. It is not a header row: read as one, its "columns"
 * are `sep=;` (or `sep=` and an empty one), and every hint built on them is a
 * dead end. It is refused, saying to delete the line, rather than skipped: the
 * output is the input's bytes plus the new columns, and a file Excel opens with
 * `sep=` above a header whose new cells were written with another delimiter
 * would mislead it.
 */
import { InputError } from '../errors.js';
import type { InputSettingChange } from './csv-header.js';
import { delimiterWord } from '../wording/delimiter-word.js';

/**
 * The delimiter Excel's `sep=X` line names, when `line` (without its line ending) is one; also quoted, `"sep=X"`,
 * as some exporters write it (read as a header, that is one column 'sep=X', whatever the delimiter).
 */
function excelSepDelimiter(line: string): string | undefined {
  const found = /^(?:sep=(.)|"sep=([^"])")$/iu.exec(line);
  return found?.[1] ?? found?.[2];
}

/** Throws the input error for a header row that is Excel's `sep=X` line; `delimiter`: the one in use (`change`: a job file's). */
export function refuseExcelSepLine(line: string, delimiter: string, change?: InputSettingChange): void {
  const named = excelSepDelimiter(line);
  if (named === undefined) return;
  const flag = delimiterWord(named);
  const then = named === delimiter ? '' : `, then ${change?.('delimiter', named) ?? `run with --delimiter ${flag}`}`;
  throw new InputError(
    `the first line is Excel's '${line.replace('\t', '\\t')}', which names the delimiter, not a header row with the column names: delete that line so the header comes first${then}`,
  );
}
