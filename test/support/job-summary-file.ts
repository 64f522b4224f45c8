import { readFileSync } from 'node:fs';

/** The parts of a `--summary-json` file the grown-export tests compare. */
export interface SummaryFile {
  status: string;
  resumed?: boolean;
  labels?: Record<string, number>;
  totals: Record<string, number>;
  run: { totals: Record<string, number> };
}

/** The summary a run wrote beside `output` (`--summary-json <output>.summary.json`). */
export const summaryOf = (output: string) => JSON.parse(readFileSync(`${output}.summary.json`, 'utf8')) as SummaryFile;

/**
 * The whole job's row counts, which a continued job and a fresh run of the same file share (not its requests: a fresh
 * run dedupes across the old rows).
 */
export const rowCounts = (summary: SummaryFile) => {
  const { read, scored, skipped, failed } = summary.totals;
  return { read, scored, skipped, failed, labels: summary.labels };
};
