import type { Summary } from './summary.js';

/**
 * The warnings a summary ends with, in the order given (those that apply): `warning` holds them all, one a line, and
 * `warnings` each, when more than one applies. Reviews in another language and in a font generator's letters both
 * applying, the summary held the first only: its last line and --summary-json's `warning`, which a nightly check reads.
 * `warning` stays the one string it was, so a check that reads it gets every warning; a warning holds no line break (a
 * text it quotes is put on one line: preflight/sampled-share.ts), so `warnings` only tells them apart for a reader.
 */
export function summaryWarnings(...said: ReadonlyArray<string | undefined>): Pick<Summary, 'warning' | 'warnings'> {
  const all = said.filter((line): line is string => line !== undefined && line !== '');
  if (all.length === 0) return {};
  return { warning: all.join('\n'), ...(all.length > 1 ? { warnings: all } : {}) };
}

/** Each warning of a summary, as its lines and a JSON log's warn lines say them: one each. */
export function warningsOf(summary: Pick<Summary, 'warning' | 'warnings'>): string[] {
  return summary.warnings ?? (summary.warning ? [summary.warning] : []);
}
