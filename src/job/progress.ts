import type { Logger } from '../log.js';
import type { Totals } from '../state/totals.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { formatSeconds } from '../wording/seconds.js';
import { estimateEtaSeconds } from './eta.js';
import { startTicker, type ProgressMode } from './progress-ticker.js';

export interface ProgressOptions {
  mode: ProgressMode;
  log: Logger;
  /** --progress-interval: how often a log line is written off a terminal. */
  logEveryMs?: number;
  totals: Totals;
  /** Input bytes consumed so far, and the input's size when known, for a share and an ETA. */
  offset(): number;
  inputSize: number | undefined;
  /** `--limit N`: the run reads at most N records, so the share and the ETA are of those, not of the whole file. */
  limit?: number | undefined;
  /**
   * Rows whose answer is in, written or not. A row that waits at the head
   * (a retry after a 429) holds back writing but not the rows behind it:
   * the rate and the ETA follow this count, so they do not collapse while it waits.
   */
  completed?(): number;
  /** When (performance.now()) the first row that cost a request was answered, and `completed()` then: the ETA's rate starts there (eta.ts). */
  firstCostly?(): { at: number; completed: number } | undefined;
  /** Requests, retries and 429s are shown only for a remote model. */
  remote?: boolean;
  stream?: NodeJS.WriteStream;
}

/** The run's progress line (rows, share of the input, rate and ETA, failures, requests), shown as progress-ticker.ts shows lines. */
export function startProgress(options: ProgressOptions): () => void {
  // Elapsed time on the monotonic clock: the wall clock stepped forward 3 h mid-run (NTP, `date -s`, a VM resumed) made a
  // 40 s run show 0 rows/s and an ETA of 9 h 42 min (faketime against `serve`, operator34); set back, no rate at all.
  const started = performance.now();
  const startRead = options.totals.read;
  const startOffset = options.offset();
  const completed = options.completed ?? (() => options.totals.read - startRead);

  const line = (): { text: string; fields: Record<string, number | string> } => {
    const { totals } = options;
    const seconds = (performance.now() - started) / 1000;
    const done = completed();
    const rate = seconds > 0 ? done / seconds : 0;
    const fields: Record<string, number | string> = {
      rows: totals.read,
      scored: totals.scored,
      skipped: totals.skipped,
      failed: totals.failed,
      requests: totals.requests,
      retries: totals.retries,
      rateLimited: totals.rateLimited,
      rowsPerSecond: Math.round(rate),
    };
    let share = '';
    const { inputSize, limit } = options;
    if (inputSize || limit !== undefined) {
      const offset = options.offset();
      const written = totals.read - startRead;
      // Bytes per row from what is written, the rate from what is answered (eta.ts): no ETA before either is known.
      const bytesPerRow = written > 0 ? (offset - startOffset) / written : 0;
      const leftInFile = inputSize && bytesPerRow > 0 ? (inputSize - offset) / bytesPerRow : undefined;
      const leftAskedFor = limit !== undefined ? Math.max(0, limit - totals.read) : undefined;
      // Under --limit the run ends at the limit or at the end of the file, whichever comes first.
      const rowsLeft = leftInFile !== undefined && leftAskedFor !== undefined ? Math.min(leftInFile, leftAskedFor) : (leftInFile ?? leftAskedFor);
      const fileShare = inputSize ? offset / inputSize : 0;
      const limitShare = limit !== undefined && limit > 0 ? Math.min(1, totals.read / limit) : 0;
      fields.percent = Math.floor(Math.max(fileShare, limitShare) * 1000) / 10;
      const first = options.firstCostly?.();
      const eta =
        rowsLeft !== undefined && (written > 0 || leftAskedFor === 0)
          ? estimateEtaSeconds({
              rowsLeft,
              seconds,
              answered: done,
              firstCostly: first && { seconds: (first.at - started) / 1000, answered: first.completed },
            })
          : undefined;
      if (eta !== undefined) fields.etaSeconds = eta;
      share = ` ${fields.percent}%${eta !== undefined ? ` ETA ${formatSeconds(eta)}` : ''}`;
    }
    const n = (value: number) => groupedNumber(Math.round(value));
    const requests = options.remote ? ` · ${n(totals.requests)} requests · ${n(totals.retries)} retries · ${n(totals.rateLimited)} × 429` : '';
    const text = `${n(totals.read)} rows${share} · ${rate < 10 ? rate.toFixed(1) : n(rate)} rows/s · ${n(totals.failed)} failed${requests}`;
    return { text, fields };
  };

  return startTicker({ mode: options.mode, log: options.log, ...(options.logEveryMs !== undefined ? { logEveryMs: options.logEveryMs } : {}), ...(options.stream ? { stream: options.stream } : {}), line });
}
