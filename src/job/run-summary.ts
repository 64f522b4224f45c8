import type { JobSettings } from '../config/options.js';
import { REPEATED_HEADER } from '../io/csv-reader.js';
import { usdForNeurons } from '../scoring/pricing.js';
import type { Scorer } from '../scoring/scorer.js';
import type { JobLabels } from '../state/label-counts.js';
import { totalsSince, type Totals } from '../state/totals.js';
import type { SummaryOf } from './run-context.js';
import type { RunTally } from './run-tally.js';
import type { Source } from './source.js';
import { blankRowsOf, numberOnlyOf, oneColumnRepeatNote, type Summary } from './summary.js';
import type { JobBlankRows } from '../state/blank-row-count.js';

export interface RunSummaryParts {
  settings: JobSettings;
  /** The output's absolute path (`-` for standard output). */
  output: string;
  scorer: Pick<Scorer, 'modelId' | 'remote'>;
  source: Pick<Source, 'onlyColumn'>;
  tally: RunTally;
  /** The whole output's counts per label, and of texts only a number with this run's tally, as the job stands (state/label-counts.ts). */
  labels: JobLabels;
  /** The whole output's blank rows, with this run's tally's, as the job stands (state/blank-row-count.ts). */
  blankRows: JobBlankRows;
  /** When the run started (performance.now(): elapsed time, not a date; run.ts). */
  started: number;
  /** The job's totals when this run began writing; undefined before (the whole job is then this run's). */
  startTotals(): Totals | undefined;
}

/** How one run tells its summary: the job's totals as they are now, and what this run added to them. */
export function runSummaryOf(parts: RunSummaryParts): SummaryOf {
  const { settings, scorer, tally } = parts;
  return (status, exitCode, totals, message) => {
    const startTotals = parts.startTotals();
    return {
      status,
      exitCode,
      ...(message ? { message } : {}),
      input: settings.input,
      output: parts.output,
      model: scorer.modelId,
      remote: scorer.remote,
      // Only Workers AI's requests share a limit through Redis: a model on this machine ignores it (ignored-settings.ts).
      ...(settings.redis !== undefined && scorer.remote ? { sharedLimit: true } : {}),
      totals,
      ...labelsOf(parts.labels),
      ...numberOnlyOf(parts.labels.numberOnlyWith(tally.numberOnly.figures())),
      ...blankRowsOf(parts.blankRows.with(tally.blankRows)),
      run: { totals: totalsSince(startTotals ?? totals, totals), ...tally.snapshot() },
      ...oneColumnRepeatNote(parts.source.onlyColumn, tally.skippedByCode[REPEATED_HEADER] ?? 0),
      resumed: startTotals !== undefined && startTotals.read > 0,
      // Whole milliseconds, as the wall clock's difference was: performance.now() adds a fraction (0.77078056799999).
      elapsedSeconds: Math.round(performance.now() - parts.started) / 1000,
      estimatedCostUsd: usdForNeurons(totals.neurons),
    };
  };
}

function labelsOf(labels: JobLabels): Pick<Summary, 'labels'> {
  const counts = labels.counts;
  return counts ? { labels: counts } : {};
}
