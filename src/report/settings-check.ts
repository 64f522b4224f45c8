import type { JobSettings } from '../config/options.js';
import { STDIN_PATH, defaultDelimiter, detectFormat } from '../io/format.js';
import { OUTPUT_COLUMN_SUFFIXES } from '../io/csv-format.js';
import { readCsvHeader } from '../io/csv-reader.js';
import { sampleJsonl } from '../preflight/jsonl-sample.js';
import { columnIndex } from './columns.js';
import { checkNamedFields } from './jsonl-check.js';

/** The flags `score` names the report's columns with (`report` itself says --input-format, --by, --date, --rating). */
export const SCORE_REPORT_FLAGS = { format: '--format', by: '--report-by', date: '--report-date', rating: '--report-rating' } as const;

/**
 * `score --report --report-by COLUMN`: the column must be in the output, which
 * is the input's columns plus the sentiment columns. Checked before the run, so
 * a typo does not surface only after every row has been scored (and paid for).
 * For JSONL, the field must be in at least one of the input's first records
 * (the sample `score` checks the text field in; a field under the sentiment
 * field is in the output only). Standard input cannot be read twice.
 */
export async function checkReportColumns(settings: JobSettings): Promise<void> {
  if (!settings.report || settings.input === STDIN_PATH) return;
  const named = [
    [SCORE_REPORT_FLAGS.by, settings.reportBy],
    [SCORE_REPORT_FLAGS.date, settings.reportDate],
    [SCORE_REPORT_FLAGS.rating, settings.reportRating],
  ] as const;
  if (named.every(([, column]) => column === undefined)) return;
  const { format, gzip } = detectFormat(settings.input, settings.format);
  if (format === 'jsonl') {
    const sample = await sampleJsonl(settings.input, gzip, settings.text ?? ['text']);
    checkNamedFields(sample, named.map(([flag, field]) => ({ flag, field })), settings.prefix);
    return;
  }
  const header = await readCsvHeader(settings.input, { gzip, delimiter: settings.delimiter ?? defaultDelimiter(format) });
  const columns = [...header.columns, ...OUTPUT_COLUMN_SUFFIXES.map((suffix) => `${settings.prefix}_${suffix}`)];
  for (const [flag, column] of named) columnIndex(columns, column, flag);
}
