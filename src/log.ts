import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. The token is also
 * kept out of logged objects by construction (publicSettings); this is the belt
 * to that pair of braces.
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

/** Removes a secret from free text (error messages quoted from elsewhere), whatever its surroundings. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
