import { isPlainObject } from './dotted-path.js';

/**
 * Whether the first two non-blank of `lines` are each a JSON object: JSON Lines (BigQuery's `.json` export), which no
 * job file nor JSON document is. One rule for the two places that tell a `.json` export by it: `run`'s job file
 * (config/export-as-job-file.ts) and score's format refusal (json-array-export.ts).
 */
export function opensAsJsonLines(lines: readonly string[]): boolean {
  const first = lines.filter((line) => line.trim() !== '').slice(0, 2);
  return first.length === 2 && first.every(isObjectLine);
}

/** Whether `line` (or a whole peeked file) parses as one JSON object. */
export function isObjectLine(line: string): boolean {
  try {
    return isPlainObject(JSON.parse(line));
  } catch {
    return false;
  }
}
