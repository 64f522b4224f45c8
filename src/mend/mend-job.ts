import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { RowResult } from '../job/dedupe.js';
import type { Source } from '../job/source.js';
import type { Logger } from '../log.js';
import { syncDirectory } from '../state/atomic-write.js';
import type { Totals } from '../state/totals.js';
import { failedRowsPathFor, loadFailedRows, promoteNext, writeFailedRows } from './failed-rows.js';
import { mendRows } from './mend.js';

export interface MendJobOptions {
  outputPath: string;
  partialPath: string;
  source: Source;
  /** The completed job's totals; updated in place when rows are mended. */
  totals: Totals;
  /**
   * This run's own figures: `score` adds its requests, retries and tokens here;
   * the mend fills in its rows. Added to `totals` before they are saved.
   */
  runTotals: Totals;
  score(text: string, index: number): RowResult | Promise<RowResult>;
  window: number;
  /** Records the mended output as the completed one (its new length and totals). */
  saveCompleted(outputBytes: number): Promise<void>;
  log: Logger;
}

export type MendJobResult =
  /** No row failed transiently: the job is simply already done. */
  | { kind: 'nothing' }
  | { kind: 'stopped' }
  | { kind: 'mended'; mended: number; stillFailing: number; refused: number };

/**
 * A completed job run again: rows that failed transiently are scored again
 * and the output is replaced by the mended copy. Crash-safe at every step:
 * the copy is written beside the output and renamed over it; the new list of
 * failed rows is written first as `.failed-rows.next`, and whichever list
 * matches the output's bytes is the one a later run uses.
 */
export async function mendCompletedJob(options: MendJobOptions): Promise<MendJobResult> {
  const { outputPath, log } = options;
  const listPath = failedRowsPathFor(outputPath);
  const { rows, stale } = await loadFailedRows(listPath, outputPath);
  if (stale) log.warn({ list: listPath }, 'the list of failed rows does not match the output (was it changed?): nothing is mended');
  if (rows.length === 0) return { kind: 'nothing' };

  log.info({ rows: rows.length }, 'the output holds rows that failed transiently: scoring just those again');
  const result = await mendRows({ ...options, rows });
  if (result.kind === 'stopped') return result;

  await writeFailedRows(`${listPath}.next`, result.stillFailed, options.partialPath);
  await rename(options.partialPath, outputPath);
  await syncDirectory(path.dirname(outputPath));
  if (result.stillFailed.length > 0) await promoteNext(listPath);
  else await writeFailedRows(listPath, [], outputPath);

  const { totals, runTotals } = options;
  Object.assign(runTotals, {
    read: rows.length,
    scored: result.scored,
    failed: rows.length - result.scored,
    truncated: result.truncated,
    cached: result.cached,
  });
  totals.scored += result.scored;
  totals.failed -= result.scored;
  totals.truncated += result.truncated;
  totals.cached += result.cached;
  for (const key of ['requests', 'retries', 'rateLimited', 'tokens', 'neurons'] as const) totals[key] += runTotals[key];
  await options.saveCompleted(result.outputBytes);
  log.info({ mended: result.scored, stillFailing: result.stillFailed.length, refused: result.refused }, 'mended the rows that had failed');
  return { kind: 'mended', mended: result.scored, stillFailing: result.stillFailed.length, refused: result.refused };
}
