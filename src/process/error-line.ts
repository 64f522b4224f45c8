/**
 * The line a command ends with on standard error when it ends other than by returning its summary: an error's, a
 * signal's (exit 130), a lost or refused lock's (74, 75), an internal error's (1). Plain by default,
 * `sentiment-batch: …`, for a person. With JSON logs asked for by name (score and run: askedJsonLogs), a JSON-only log
 * collector could not parse that one line, on the very night that needed a person: it is then one JSON line in the
 * shape of the log's own (pino's level, time, msg), with the exit code. An error the run logged already (with its
 * summary, once rows were scored) adds no second line, which a collector would count as a second alert.
 */
import { oneLine } from '../wording/one-line.js';
import { withoutKnownSecret } from './known-secret.js';

/** pino's numbers for the levels "warn" and "error". */
const WARN_LEVEL = 40;
const ERROR_LEVEL = 50;
/** ExitCode.Paused and ExitCode.Interrupted (errors.ts, not imported: process/signals.ts loads this before anything heavy). */
const PAUSED = 75;
const INTERRUPTED = 130;

let jsonAsked = false;
let logged = false;

/** Set by the command as soon as it can tell (command-line.ts from the raw arguments, score.ts from the settings). */
export function setJsonLinesAsked(asked: boolean): void {
  jsonAsked = asked;
}

/** Whether JSON logs were asked for, as far as the command could tell. */
export function jsonLinesAsked(): boolean {
  return jsonAsked;
}

/** The command's error is in its log already, at error (score.ts): the command line writes no line of its own for it. */
export function markErrorLogged(): void {
  logged = true;
}

/**
 * The one line that ends the command with this message and exit code, as JSON logs asked for it or plain. A pause,
 * a lock another run holds (75) and a stop by a signal (130) come at warn, as the run's summary logs a pause and a
 * signal's line does; every other code (a failure) at error (git 6eaee30).
 */
export function closingLine(message: string, exitCode: number): string {
  // One line, whatever a path in it holds (a file name with a line break), and the same words in either form; never
  // the API token, even where it was given as another setting's value (known-secret.ts).
  const words = oneLine(withoutKnownSecret(message));
  if (!jsonAsked) return `sentiment-batch: ${words}\n`;
  const level = exitCode === PAUSED || exitCode === INTERRUPTED ? WARN_LEVEL : ERROR_LEVEL;
  return `${JSON.stringify({ level, time: Date.now(), exitCode, msg: words })}\n`;
}

/** A warning line that ends nothing (an ignored signal), as JSON logs asked for it (pino's warn) or plain. */
export function warningLine(message: string): string {
  const words = oneLine(withoutKnownSecret(message));
  if (!jsonAsked) return `sentiment-batch: ${words}\n`;
  return `${JSON.stringify({ level: WARN_LEVEL, time: Date.now(), msg: words })}\n`;
}

/** The text to write on standard error for the error that ended the command: its closing line, or nothing when logged. */
export function errorLine(message: string, exitCode: number): string {
  return logged ? '' : closingLine(message, exitCode);
}
