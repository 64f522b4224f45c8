import { warningLine } from '../process/error-line.js';

/**
 * `score -` (or `estimate -`) with standard input the terminal, the `<` or the pipe forgotten, waited for the export
 * in silence, a run that looked hung. Said once, before the wait, on standard error, and only when standard input is
 * a terminal: in a pipe it is what was meant.
 */
const TERMINAL_INPUT_LINE =
  'reading the export from the terminal (standard input is not redirected): type or paste it, then Ctrl-D on a line of its own to end it (Ctrl-C stops); to read a file, name it instead of - or redirect it (< FILE)';

/** Says {@link TERMINAL_INPUT_LINE} on `stderr` when `input` is a terminal. */
export function sayTerminalInput(input: NodeJS.ReadableStream, stderr: NodeJS.WritableStream = process.stderr): void {
  if ((input as { isTTY?: boolean }).isTTY === true) stderr.write(warningLine(TERMINAL_INPUT_LINE));
}
