import type { Logger } from '../log.js';

/** --progress: `auto` shows it on a terminal, and as log lines when info lines are logged. */
export type ProgressMode = 'auto' | 'on' | 'off';

/** One progress line: the text a terminal redraws, the fields a log line carries. */
export interface ProgressLine {
  text: string;
  fields: Record<string, number | string>;
}

export interface TickerOptions {
  mode: ProgressMode;
  log: Logger;
  stream?: NodeJS.WriteStream;
  /** Made afresh at each tick. */
  line(): ProgressLine;
  /** How often a log line is written off a terminal (--progress-interval; default 5 s). */
  logEveryMs?: number;
  /** Replaces both intervals (tests: a tick within a short import). */
  everyMs?: number;
}

const TTY_INTERVAL_MS = 500;
const LOG_INTERVAL_MS = 5000;

/**
 * On a terminal: one progress line, redrawn in place. Otherwise: a progress log line every `logEveryMs` (`progress`,
 * with the line's fields), which is what a scheduler's log viewer wants. Returns the stop, which clears the terminal's line.
 */
export function startTicker(options: TickerOptions): () => void {
  const stream = options.stream ?? process.stderr;
  if (options.mode === 'off') return () => undefined;
  const tty = stream.isTTY === true;
  if (options.mode === 'auto' && !tty && !options.log.isLevelEnabled('info')) return () => undefined;
  const timer = setInterval(
    () => {
      const { text, fields } = options.line();
      if (tty) stream.write(`\r\x1b[K${text}`);
      else options.log.info(fields, 'progress');
    },
    options.everyMs ?? (tty ? TTY_INTERVAL_MS : (options.logEveryMs ?? LOG_INTERVAL_MS)),
  ).unref();
  return () => {
    clearInterval(timer);
    if (tty) stream.write('\r\x1b[K');
  };
}
