/**
 * The line a command's error ends with on standard error. Plain by default, `sentiment-batch: …`, for a person. With
 * JSON logs asked for (score and run: askedJsonLogs), a JSON-only log collector could not parse that one line of a
 * usage or input error (exit 2, 3), on the very night that needed a person: it is then one JSON line in the shape of
 * the log's own (pino's level 50, time, msg), with the exit code. An input error once rows were scored was logged at
 * error already, with the run's summary: no second line, which a collector would count as a second alert. The other
 * codes' lines (74, 75, 130) stay plain for now (score.ts chooses).
 */
import { oneLine } from '../wording/one-line.js';

/** pino's number for the level "error". */
const ERROR_LEVEL = 50;

export type ErrorLineForm = 'plain' | 'json' | 'logged';

let form: ErrorLineForm = 'plain';

/** Set by the command once it knows how its error is to be said (score.ts); plain until then. */
export function setErrorLineForm(chosen: ErrorLineForm): void {
  form = chosen;
}

/** The text to write on standard error for an error with this message and exit code: one line, or nothing. */
export function errorLine(message: string, exitCode: number): string {
  if (form === 'logged') return '';
  // One line, whatever a path in it holds (a file name with a line break), and the same words in either form.
  const words = oneLine(message);
  if (form === 'json') return `${JSON.stringify({ level: ERROR_LEVEL, time: Date.now(), exitCode, msg: words })}\n`;
  return `sentiment-batch: ${words}\n`;
}
