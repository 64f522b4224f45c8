import type { Totals } from '../state/totals.js';
import { formatSeconds } from './progress.js';

export interface Summary {
  status: 'done' | 'already-done' | 'paused' | 'interrupted' | 'failed';
  exitCode: number;
  message?: string;
  input: string;
  output: string;
  model: string;
  totals: Totals;
  /** Rows of a completed output that had failed transiently and were scored by this run. */
  mended?: number;
  /** This session only. */
  elapsedSeconds: number;
  estimatedCostUsd: number;
}


export function formatSummary(summary: Summary): string {
  const t = summary.totals;
  const lines = [
    `${statusWord(summary)} ${summary.output}${summary.status === 'done' || summary.status === 'already-done' ? '' : '.partial'}`,
    `  rows ${t.read}: scored ${t.scored}, skipped ${t.skipped}, failed ${t.failed}`,
    `  model ${summary.model} · requests ${t.requests} · retries ${t.retries} · 429s ${t.rateLimited}`,
    `  duplicates saved ${t.duplicates} · cache hits ${t.cached} · truncated ${t.truncated}`,
    `  tokens ${t.tokens} · neurons ${round(t.neurons)} · cost at most $${summary.estimatedCostUsd.toFixed(4)}`,
    `  elapsed ${formatSeconds(summary.elapsedSeconds)}`,
  ];
  if (summary.mended !== undefined) lines.push(`  mended ${summary.mended} rows that had failed transiently (${t.failed} rows still failed)`);
  if (summary.message) lines.push(`  ${summary.message}`);
  return `${lines.join('\n')}\n`;
}

function statusWord(summary: Summary): string {
  switch (summary.status) {
    case 'done':
      return 'Done:';
    case 'already-done':
      return 'Already done (nothing to do):';
    case 'paused':
      return 'Paused; run the same command later to continue:';
    case 'interrupted':
      return 'Interrupted; run the same command to continue:';
    default:
      return 'Stopped:';
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
