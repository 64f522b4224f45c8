import type { Logger } from '../log.js';
import type { Totals } from '../state/totals.js';

export interface ProgressOptions {
  mode: 'auto' | 'on' | 'off';
  log: Logger;
  totals: Totals;
  /** Input bytes consumed so far, and the input's size when known, for a share and an ETA. */
  offset(): number;
  inputSize: number | undefined;
  stream?: NodeJS.WriteStream;
}

const TTY_INTERVAL_MS = 500;
const LOG_INTERVAL_MS = 5000;

/**
 * On a terminal: one progress line, redrawn in place. Otherwise: a progress
 * log line every few seconds, which is what a scheduler's log viewer wants.
 */
export function startProgress(options: ProgressOptions): () => void {
  const stream = options.stream ?? process.stderr;
  if (options.mode === 'off') return () => undefined;
  const tty = stream.isTTY === true;
  if (options.mode === 'auto' && !tty && !options.log.isLevelEnabled('info')) return () => undefined;
  const started = Date.now();
  const startRead = options.totals.read;
  const startOffset = options.offset();

  const line = (): { text: string; fields: Record<string, number | string> } => {
    const { totals } = options;
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (totals.read - startRead) / seconds : 0;
    const fields: Record<string, number | string> = {
      rows: totals.read,
      scored: totals.scored,
      skipped: totals.skipped,
      failed: totals.failed,
      requests: totals.requests,
      rowsPerSecond: Math.round(rate),
    };
    let share = '';
    if (options.inputSize) {
      const offset = options.offset();
      const done = offset / options.inputSize;
      const bytesPerSecond = seconds > 0 ? (offset - startOffset) / seconds : 0;
      const eta = bytesPerSecond > 0 ? Math.round((options.inputSize - offset) / bytesPerSecond) : undefined;
      fields.percent = Math.floor(done * 1000) / 10;
      if (eta !== undefined) fields.etaSeconds = eta;
      share = ` ${fields.percent}%${eta !== undefined ? ` ETA ${formatSeconds(eta)}` : ''}`;
    }
    const text = `${totals.read} rows${share} · ${Math.round(rate)} rows/s · ${totals.failed} failed · ${totals.requests} requests`;
    return { text, fields };
  };

  const timer = setInterval(
    () => {
      const { text, fields } = line();
      if (tty && options.mode !== 'off') stream.write(`\r\x1b[K${text}`);
      else options.log.info(fields, 'progress');
    },
    tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS,
  ).unref();

  return () => {
    clearInterval(timer);
    if (tty) stream.write('\r\x1b[K');
  };
}

export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}
