import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { SettingWords } from '../config/setting-names.js';
import { PathClashError } from '../errors.js';

/** A summary JSON is a few kilobytes; anything much larger is someone's data. */
const MAX_SUMMARY_BYTES = 1024 * 1024;

/**
 * Whether a failure summary may replace what is at `file` when the settings
 * could not be resolved (a bad flag or job file), so the job's paths were never
 * compared: only nothing, or an earlier summary (a JSON object with `status`
 * and `exitCode`). `score r.csv --rpm fast --summary-json r.csv` must leave the
 * input as it was.
 */
export function mayHoldFailureSummary(file: string): boolean {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    // Nothing there (or nothing reachable: then the write fails too, and is ignored).
    return true;
  }
  return stats.isFile() && holdsSummary(file, stats);
}

/**
 * Refuses, before any work, a --summary-json (a job file's "summaryJson") that names a regular file holding
 * something other than an earlier run's summary: `score a.csv --summary-json b.csv` replaced the export b.csv
 * with JSON and exited 0. Nothing there, an empty file (mktemp) and an earlier summary are written as before; a
 * folder or a device is refused elsewhere. A symbolic link is judged by its target, as -o, --report and report -o
 * judge theirs (the rename replaces the link, never its target, but the link was most likely meant to reach that
 * file): judged by the link itself, one to an export was replaced where -o refused it.
 */
export function refuseReplacingData(named: SettingWords, given: string): void {
  let stats: Stats;
  try {
    stats = statSync(path.resolve(given));
  } catch {
    return;
  }
  if (!stats.isFile() || stats.size === 0 || holdsSummary(given, stats)) return;
  throw new PathClashError(
    `${named.head} is a file that is not a run summary (${stats.size} bytes): it would be replaced whole; choose another ${named.setting}, or delete that file first`,
    ['--summary-json'],
  );
}

/** A JSON object with `status` and `exitCode`, as every summary this command writes holds. */
function holdsSummary(file: string, stats: Stats): boolean {
  if (stats.size > MAX_SUMMARY_BYTES) return false;
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof data === 'object' && data !== null && 'status' in data && 'exitCode' in data;
  } catch {
    return false;
  }
}
