import type { JobSettings } from '../config/options.js';
import { settingName } from '../config/setting-names.js';
import { ExitCode } from '../errors.js';
import type { Summary } from '../job/summary.js';
import { withReportNotWritten } from '../job/summary-file.js';
import type { FaultAdvice } from '../machine-fault-advice.js';
import { detectFormat } from '../io/format.js';
import { percent } from './html-text.js';
import { writeReport } from './index.js';
import { scoreReportFlags } from './settings-check.js';
import { unreadColumnLines } from './unread-columns.js';
import { dayOrderLine } from './mixed-day-order.js';
import { oneLine } from '../wording/one-line.js';
import { typedPath } from '../wording/typed-path.js';

/** A fault writing `score --report`'s page: the output is complete, so running again only writes the report. */
const SCORE_REPORT_ADVICE: FaultAdvice = {
  flag: '--report',
  again: 'then run the same command again (the output is complete: it is not scored again, only the report is written)',
};

/** `score --report PATH`: the report of the output just written; returns the line to print. */
export async function reportAfterRun(settings: JobSettings, summary: Summary): Promise<string> {
  const report = settings.report as string;
  const flags = scoreReportFlags(settings);
  const figures = await writeReport({
    input: summary.output,
    output: report,
    as: report.toLowerCase().endsWith('.json') ? 'json' : 'html',
    // The output is in the input's format whatever its own name says (-o out, -o out.txt): read it so.
    inputFormat: settings.format ?? detectFormat(settings.input).format,
    delimiter: settings.delimiter,
    text: settings.text,
    prefix: settings.prefix,
    by: settings.reportBy,
    date: settings.reportDate,
    rating: settings.reportRating,
    flagNames: flags,
    groups: 20,
    examples: 5,
    dayFirst: false,
    summaryPath: undefined,
    summary,
    // A fault's line names the setting as it was given: a job file's "report" is no flag anybody typed.
    writeAdvice: { ...SCORE_REPORT_ADVICE, flag: settingName(settings, 'report', '--report') },
  });
  const idHint = figures.groups?.idHint === undefined ? '' : `  ${figures.groups.idHint}\n`;
  // Under the headline, with the other lines about the report's columns: score's standard error is its log.
  const mixed = dayOrderLine(figures.trend, flags.date, { scored: typedPath(summary.output, settings.output), report, by: settings.reportBy, rating: settings.reportRating });
  // The name on one line, whatever it holds (a line break: one-line.ts), as the summary's lines show theirs.
  return `Report: ${oneLine(report)} (positive ${percent(figures.totals.positive.share)})\n${idHint}${unreadColumnLines(figures, flags)}${mixed === undefined ? '' : `  ${mixed}\n`}`;
}

/** The summary of a complete run whose report a signal stopped (before or while it was written): exit 130. */
export function reportStopped(summary: Summary, report: string, signal: string, typedOutput?: string): Summary {
  const stopped: Summary = { ...summary, status: 'interrupted', exitCode: ExitCode.Interrupted, message: reportStoppedMessage(summary, report, signal, typedOutput), outputComplete: true };
  return withReportNotWritten(stopped, report);
}

/** `typedOutput`: the output as the user gave it, named so as the report is (it named the absolute path beside `r.html`). */
export function reportStoppedMessage(summary: Summary, report: string, signal: string, typedOutput?: string): string {
  return `stopped by ${signal} before the report was written: the output ${typedPath(summary.output, typedOutput)} is complete; ${report} was not written (run the same command again to write it)`;
}
