import pino, { type Logger } from 'pino';
import { PrettyLogStream } from './log-pretty.js';
import { noteStandardStreamFailure } from './process/standard-streams.js';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Nothing logs the
 * token on purpose (the job never logs its settings, and the Workers AI client
 * scrubs it from its errors); this is the second line of defence.
 */
const REDACT = [
  'apiToken',
  '*.apiToken',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'settings.apiToken',
];

export type LogFormat = 'json' | 'pretty';

/**
 * Log lines on stderr, so stdout stays free for the summary and piping: JSON
 * lines (what log collectors read), or readable lines for a person at a
 * terminal (`--log-format pretty`, the default when stderr is a terminal).
 * Redaction applies to both: the readable lines are made from the redacted JSON.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream | number = 2, format: LogFormat = 'json'): Logger {
  const stream =
    typeof destination !== 'number' ? destination : format === 'pretty' ? new PrettyLogStream(destination) : jsonLines(destination);
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, stream);
}

/** auto: readable on a terminal, JSON otherwise. */
export function resolveLogFormat(setting: 'auto' | LogFormat, stderrIsTty: boolean = process.stderr.isTTY === true): LogFormat {
  return setting === 'auto' ? (stderrIsTty ? 'pretty' : 'json') : setting;
}

/** JSON lines to `fd`, written at once; a failed write (a full disk under standard error) is noted, not thrown from whatever code logged. */
function jsonLines(fd: number): ReturnType<typeof pino.destination> {
  const destination = pino.destination({ fd, sync: true });
  destination.on('error', (error: NodeJS.ErrnoException) => noteStandardStreamFailure('standard error', error));
  return destination;
}
