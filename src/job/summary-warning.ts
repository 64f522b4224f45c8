import type { SummaryLooks } from './source.js';
import type { Summary } from './summary.js';

/**
 * The warnings a summary ends with (those that apply): `first`, one that says the rows were not read as meant, then
 * a spreadsheet formula's errors, Qualtrics' header rows, reviews in another language and in a font generator's letters,
 * then the export's decimal commas beside the scores' points (of the output, not of its rows: last), as start-up said
 * them (`looks`). The one place that
 * says which start-up warnings the summary repeats, and in which order: a completed run's summary and its Already done
 * rerun's both end so. `warning` holds them all, one a line, and `warnings` each, when more than one applies. Both
 * looks applying, the summary held the first only: its last line and --summary-json's `warning`, which a nightly check
 * reads. `warning` stays the one string it was, so a check that reads it gets every warning; a warning holds no line
 * break (a text it quotes is put on one line: preflight/sampled-share.ts), so `warnings` only tells them apart for a reader.
 */
export function summaryWarnings(first: string | undefined | ReadonlyArray<string | undefined>, looks: SummaryLooks): Pick<Summary, 'warning' | 'warnings'> {
  // A mend's summary may have two firsts: why its rows failed again, then one of the rows not read as meant (mended-summary.ts).
  const all = [...(typeof first === 'object' ? first : [first]), looks.formulaErrorWarning, looks.qualtricsRowsWarning, looks.otherLanguageWarning, looks.styledLettersWarning, looks.decimalCommaWarning].filter((line): line is string => line !== undefined && line !== '');
  if (all.length === 0) return {};
  return { warning: all.join('\n'), ...(all.length > 1 ? { warnings: all } : {}) };
}

/** Each warning of a summary, as its lines and a JSON log's warn lines say them: one each. */
export function warningsOf(summary: Pick<Summary, 'warning' | 'warnings'>): string[] {
  return summary.warnings ?? (summary.warning ? [summary.warning] : []);
}
