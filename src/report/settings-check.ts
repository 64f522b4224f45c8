import type { JobSettings } from '../config/options.js';
import { settingHead } from '../config/setting-names.js';
import { OUTPUT_COLUMN_SUFFIXES } from '../io/csv-format.js';
import type { JsonlSample } from '../preflight/jsonl-sample.js';
import { columnIndex } from './columns.js';
import { checkNamedFields } from './jsonl-check.js';

/**
 * How `score` names the report's columns (`report` itself says --input-format, --by, --date, --rating): its flags, or
 * the job file's keys when it gave them ("--report-by" was no help to whoever wrote "reportBy" in one).
 */
export function scoreReportFlags(settings: JobSettings): { format: string; by: string; date: string; rating: string } {
  return {
    format: settingHead(settings, 'format', '--format'),
    by: settingHead(settings, 'reportBy', '--report-by'),
    date: settingHead(settings, 'reportDate', '--report-date'),
    rating: settingHead(settings, 'reportRating', '--report-rating'),
  };
}

/** What the job's startup checks read of the input (job/source.ts): the JSONL sample, or the CSV header's columns. */
export type InputShape = { sample: JsonlSample } | { columns: readonly string[] };

/**
 * `score --report --report-by COLUMN`: the column must be in the output, which
 * is the input's columns plus the sentiment columns. Checked when the input is
 * opened, before anything is scored, so a typo does not surface only after every
 * row has been scored (and paid for). For JSONL, the field must be in at least
 * one of the input's first records: the same sample the text field is checked in,
 * read once (a field under the sentiment field is in the output only).
 */
export function checkReportColumns(settings: JobSettings, input: InputShape): void {
  if (!settings.report) return;
  const flags = scoreReportFlags(settings);
  const named = [
    [flags.by, settings.reportBy],
    [flags.date, settings.reportDate],
    [flags.rating, settings.reportRating],
  ] as const;
  if (named.every(([, column]) => column === undefined)) return;
  if ('sample' in input) {
    checkNamedFields(input.sample, named.map(([flag, field]) => ({ flag, field })), settings.prefix);
    return;
  }
  const added = OUTPUT_COLUMN_SUFFIXES.map((suffix) => `${settings.prefix}_${suffix}`);
  // The input's columns and the ones the run adds: both are the report's, but only the first are in the input.
  for (const [flag, column] of named) columnIndex([...input.columns, ...added], column, flag, { names: added, of: 'input' });
}
