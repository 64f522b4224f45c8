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
 * (`<output>.summary.json`, `<stem>.summary.json` beside `<stem>.scored.csv`), and report's JSON
 * (`<output stem>.report.json`): this tool's own files, no part of an export (`score out` of a folder of outputs).
 */
const OWN_FILE = /\.(checkpoint|summary|report)\.json$/i;
const SHOWN = 3;

/**
 * What to do with a folder given as the input. Spark, Hive and Dask write one export as a folder of parts
 * (reviews.csv/part-00000-….csv beside _SUCCESS), which was refused with "give the path of a file" and no word of
 * the files inside that can be read. A folder that cannot be listed, or holds none, keeps those words.
 */
export function folderInputAdvice(folder: string): string {
  const parts = readableFiles(folder);
  if (parts.length === 0) return 'give the path of a file';
  const json = parts.some((name) => JSON_NAMED.test(name)) ? ' (a .json part of JSON Lines with --format jsonl)' : '';
  if (parts.length === 1) return `it holds one file that can be scored: give its path, ${join(folder, parts[0]!)}${json}`;
  return `it holds ${parts.length} files that can be scored (${shownNames(parts)}), as a folder of parts (Spark, Hive, Dask) does: score each of them, as its own file${json}`;
}

/**
 * The same for report, given a folder of outputs (`report /data/out`): score's words sent the operator to score the
 * outputs again ('files that can be scored … score each of them').
 */
export function scoredFolderAdvice(folder: string): string {
  const scored = readableFiles(folder);
  if (scored.length === 0) return 'give the path of a scored file';
  if (scored.length === 1) return `it holds one scored file: give its path, ${join(folder, scored[0]!)}`;
  return `it holds ${scored.length} scored files (${shownNames(scored)}): make a report of each, as its own file (sentiment-batch report ${join(folder, scored[0]!)})`;
}

/** The files in `folder` a reader takes, the tool's own left out, sorted; none for a folder that cannot be listed. */
function readableFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    names = [];
  }
  return names.filter((name) => SCORABLE.test(name) && !OWN_FILE.test(name)).sort();
}

function shownNames(names: string[]): string {
  return `${names.slice(0, SHOWN).join(', ')}${names.length > SHOWN ? ', …' : ''}`;
}
