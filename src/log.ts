import pino, { type Logger } from 'pino';

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

/** JSON lines on stderr, so stdout stays free for the summary and piping. */
export function createLogger(level: string, destination: NodeJS.WritableStream | number = 2): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, stream);
}
