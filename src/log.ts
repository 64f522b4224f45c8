import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { PrettyLogStream } from './log-pretty.js';
import { noteStandardStreamFailure } from './process/standard-streams.js';
import { withoutKnownSecret } from './process/known-secret.js';

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

type Pino = typeof import('pino');
let pinoModule: Pino | undefined;

/**
 * pino, required when the first logger is made rather than when this module loads: `report` imports this module but
 * logs only when it has something to say, and loading pino (with sonic-boom, thread-stream and their requires) is
 * ~25 ms of CPU a start (`require('pino')` under a require-timing hook, Node 20). Synchronous, so a line is written
 * where it was logged, as before.
 */
function loadPino(): Pino {
  return (pinoModule ??= createRequire(import.meta.url)('pino') as Pino);
}

/**
 * Log lines on stderr, so stdout stays free for the summary and piping: JSON
 * lines (what log collectors read), or readable lines for a person at a
 * terminal (`--log-format pretty`, the default when stderr is a terminal).
 * Redaction applies to both: the readable lines are made from the redacted JSON.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream | number = 2, format: LogFormat = 'json'): Logger {
  const stream =
    typeof destination !== 'number' ? destination : format === 'pretty' ? new PrettyLogStream(destination) : withC1Escaped(jsonLines(destination));
  return loadPino()({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, withoutTokenIn(stream));
}

/**
 * The third line of defence: the token the configuration read (process/known-secret.ts) is taken out of every line
 * written, wherever the logged object held it. pino's redaction names paths one level deep: a token in an error's
 * cause, a nested header or a message went out as it was.
 */
function withoutTokenIn(stream: { write(chunk: string): unknown }): { write(chunk: string): void } {
  return {
    write(chunk: string): void {
      stream.write(withoutKnownSecret(chunk));
    },
  };
}

/** auto: readable on a terminal, JSON otherwise. */
export function resolveLogFormat(setting: 'auto' | LogFormat, stderrIsTty: boolean = process.stderr.isTTY === true): LogFormat {
  return setting === 'auto' ? (stderrIsTty ? 'pretty' : 'json') : setting;
}

/**
 * JSON.stringify escapes C0 controls (ESC is \u001b) but leaves C1 ones (U+0080-U+009F: CSI and OSC start escape
 * sequences on a terminal that reads them) and the line separators U+2028/U+2029 as they are: a review quoted in a
 * warning reached `docker logs` on a terminal raw. They can only stand inside a JSON string, where their escape means
 * the same, so the line stays the same JSON.
 */
function withC1Escaped(stream: { write(chunk: string): unknown }): { write(chunk: string): void } {
  return {
    write(chunk: string): void {
      stream.write(chunk.replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    },
  };
}

/** JSON lines to `fd`, written at once; a failed write (a full disk under standard error) is noted, not thrown from whatever code logged. */
function jsonLines(fd: number): ReturnType<Pino['destination']> {
  const destination = loadPino().destination({ fd, sync: true });
  destination.on('error', (error: NodeJS.ErrnoException) => noteStandardStreamFailure('standard error', error));
  return destination;
}

/**
 * The log of a command that has no --log-format or --log-level (report, estimate): its info and warn lines, readable
 * on a terminal and JSON elsewhere, as score's under `auto`. A warning is a warn line, not a `sentiment-batch: …` line,
 * which the README keeps for the line that says why a command stopped: these commands go on and exit 0.
 */
export function autoLogger(): Logger {
  return createLogger('info', 2, resolveLogFormat('auto'));
}
