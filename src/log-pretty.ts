import { writeFullySync } from './io/write-fully.js';
import { noteStandardStreamFailure } from './process/standard-streams.js';
import { isatty } from 'node:tty';
import { oneLine } from './wording/one-line.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields pino adds that the readable line shows in its own way (or not at all). */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/**
 * A destination for pino that turns its JSON lines into lines a person reads
 * on a terminal: `14:03:07 WARN  message key=value …`. Each line first clears
 * the terminal line, so a log line never lands in the middle of the progress
 * line (which is redrawn after it). A small formatter rather than pino-pretty,
 * which would add a dependency tree for this one job.
 */
export class PrettyLogStream {
  /** Only a terminal has a progress line to clear; a file gets plain lines. */
  private readonly clear: string;

  constructor(private readonly fd: number = 2) {
    this.clear = isatty(fd) ? '\r\x1b[K' : '';
  }

  write(chunk: string): void {
    let text = '';
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      text += `${this.clear}${formatLogLine(line)}\n`;
    }
    if (!text) return;
    try {
      // Whole, as the JSON lines' writer (sonic-boom) writes them: a line the file-size limit or a full disk cut short
      // kept its first part, and the run ended 0 with its log cut (review73).
      writeFullySync(this.fd, text);
    } catch (error) {
      // A full disk under standard error must not throw from whatever code logged: noted, and the command ends 74.
      noteStandardStreamFailure('standard error', error as NodeJS.ErrnoException);
    }
  }
}

export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  // A message or a field may quote the export (a review, a column name, a file name): its control characters are
  // written as escapes (one-line.ts), so no export moves the cursor, clears the screen or sets the terminal's title.
  return oneLine([time, level, typeof entry.msg === 'string' ? entry.msg : '', ...fields].filter(Boolean).join(' '));
}
