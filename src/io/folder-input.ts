import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Names the reader takes by their extension (format.ts), and .json, which Spark gives its JSON Lines parts (read with
 * --format jsonl); hidden files (Spark's .crc checksums) left out.
 */
const SCORABLE = /^[^.].*\.(csv|tsv|jsonl|ndjson|json)(\.gz)?$/i;
const JSON_NAMED = /\.json(\.gz)?$/i;
/**
 * A run's checkpoint (`<output>.checkpoint.json`) and its summary JSON under the names report looks for it by
 * (`<output>.summary.json`, `<stem>.summary.json` beside `<stem>.scored.csv`): this tool's own files, no part of an
 * export (`score out` of a folder of outputs).
 */
const OWN_FILE = /\.(checkpoint|summary)\.json$/i;
const SHOWN = 3;

/**
 * What to do with a folder given as the input. Spark, Hive and Dask write one export as a folder of parts
 * (reviews.csv/part-00000-….csv beside _SUCCESS), which was refused with "give the path of a file" and no word of
 * the files inside that can be read. A folder that cannot be listed, or holds none, keeps those words.
 */
export function folderInputAdvice(folder: string): string {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    names = [];
  }
  const parts = names.filter((name) => SCORABLE.test(name) && !OWN_FILE.test(name)).sort();
  if (parts.length === 0) return 'give the path of a file';
  const json = parts.some((name) => JSON_NAMED.test(name)) ? ' (a .json part of JSON Lines with --format jsonl)' : '';
  if (parts.length === 1) return `it holds one file that can be scored: give its path, ${join(folder, parts[0]!)}${json}`;
  const shown = `${parts.slice(0, SHOWN).join(', ')}${parts.length > SHOWN ? ', …' : ''}`;
  return `it holds ${parts.length} files that can be scored (${shown}), as a folder of parts (Spark, Hive, Dask) does: score each of them, as its own file${json}`;
}
