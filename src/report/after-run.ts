import type { JobSettings } from '../config/options.js';
import type { Summary } from '../job/summary.js';
import { percent } from './html-text.js';
import { writeReport } from './index.js';
import { SCORE_REPORT_FLAGS } from './settings-check.js';

/** `score --report PATH`: the report of the output just written; returns the line to print. */
export async function reportAfterRun(settings: JobSettings, summary: Summary): Promise<string> {
  const report = settings.report as string;
  const figures = await writeReport({
    input: summary.output,
    output: report,
    as: report.toLowerCase().endsWith('.json') ? 'json' : 'html',
    inputFormat: settings.format,
    delimiter: settings.delimiter,
    text: settings.text,
    prefix: settings.prefix,
    by: settings.reportBy,
    date: settings.reportDate,
    rating: settings.reportRating,
    flagNames: SCORE_REPORT_FLAGS,
    groups: 20,
    examples: 5,
    dayFirst: false,
    summaryPath: undefined,
    summary,
  });
  return `Report: ${report} (positive ${percent(figures.totals.positive.share)})\n`;
}
