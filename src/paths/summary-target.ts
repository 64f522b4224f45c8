import { readFileSync, statSync, type Stats } from 'node:fs';

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
  if (!stats.isFile() || stats.size > MAX_SUMMARY_BYTES) return false;
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof data === 'object' && data !== null && 'status' in data && 'exitCode' in data;
  } catch {
    return false;
  }
}
