import { ConfigError } from '../errors.js';

/** How the message names the setting: `--quote none`, or the job file's key. */
export interface QuoteNoneNamed {
  /** `--quote none`, or `"quote": "none" in job file jobs/n.json`. */
  setting: string;
  /** `drop --quote none`, or `remove "quote" from the job file`. */
  drop: string;
}

/**
 * --quote none given a file that does quote its cells (MySQL's INTO OUTFILE … ENCLOSED BY '"', pandas, Excel): read so,
 * its header's names keep their quotes ('"text"'). Before, only the text column was refused, with a did-you-mean
 * '"text"' that, followed, scored every text with its quotes and failed each row whose quoted cell held the delimiter
 * (ragged_row), exit 0. A header whose every name is in quotes is such a file (no export of the dialect names its
 * columns so): refused at startup (exit 2), before anything is read or written, naming the setting to drop.
 */
export function refuseQuotedHeader(columns: readonly string[], named: QuoteNoneNamed): void {
  if (columns.length === 0 || !columns.every((name) => name.length >= 2 && name.startsWith('"') && name.endsWith('"'))) return;
  const shown = columns.slice(0, 3).map((name) => `'${name}'`).join(', ') + (columns.length > 3 ? ', ...' : '');
  throw new ConfigError(
    `${named.setting} reads no cell as quoted, but every name in the header is in quotes (${shown}): the file quotes its cells; ` +
      `${named.drop} (keep the backslash escape when a quote inside a quoted cell is written \\", as MySQL's ENCLOSED BY '"' writes it)`,
  );
}
