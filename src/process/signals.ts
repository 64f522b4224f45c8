import { ExitCode } from '../errors.js';
import { runExitCleanups } from './exit-cleanups.js';
import { closingLine, warningLine } from './error-line.js';
// Loaded with the signal handlers: the exit after a hung-up terminal's SIGHUP needs it (see there).
import './hung-up-terminal.js';
// Loaded with them too: a write past `ulimit -f` fails (EFBIG, exit 74) rather than the process dying of SIGXFSZ.
import './file-size-limit.js';

/**
 * SIGINT/SIGTERM/SIGHUP handling for the whole process, installed when this module is
 * evaluated: cli.ts loads it first and everything else afterwards, so
 * a signal is never met by Node's default action (which would end the process
 * with 143 or 130 depending on the signal, nothing saved, nothing said).
 *
 * Before a job has installed its handler (and after it removed it) nothing is
 * under way that a stop could save: the process exits 130 at once. While a
 * job runs, the first signal asks it to stop; a second one exits at once
 * (the last checkpoint is durable, so nothing written is lost). Once the command
 * has returned (holdSignals), a signal changes nothing: the process is exiting
 * with the code its summary gives.
 *
 * As PID 1 in a container Node has no default signal handling at all: these
 * handlers are what make `docker stop` work.
 */
let handler: ((signal: string) => void) | undefined;
let secondLine: ((signal: string) => string) | undefined;
let lastWords: ((signal: string) => Promise<void>) | undefined;
let hurriedWords: ((signal: string) => void) | undefined;
let received = 0;
/** The command has returned: the process is ending with its code (command-line.ts). */
let held = false;

function listener(signal: NodeJS.Signals): void {
  received += 1;
  if (held) return;
  if (handler && received === 1) {
    handler(signal);
    return;
  }
  if (lastWords && !handler && received === 1) {
    // Work that has nothing to save (a report being written) still says what it leaves behind, then exits at once.
    lastWords(signal)
      .catch(() => undefined)
      .finally(exitNow);
    return;
  }
  process.stderr.write(closingLine(handler ? secondSignalLine(signal) : `stopped by ${signal} (nothing under way to save)`, ExitCode.Interrupted));
  if (handler) {
    try {
      hurriedWords?.(signal);
    } catch {
      // exiting now matters more
    }
  }
  exitNow();
}

/** The job's words for a second signal (what it abandons), or the plain line when it has none or they fail. */
function secondSignalLine(signal: string): string {
  try {
    return secondLine?.(signal) ?? `second ${signal}, exiting now`;
  } catch {
    return `second ${signal}, exiting now`;
  }
}

function exitNow(): never {
  runExitCleanups();
  process.exit(ExitCode.Interrupted);
}

process.on('SIGINT', listener);
process.on('SIGTERM', listener);
// SIGHUP (a closed terminal, a dropped SSH session) stops a job as SIGTERM does, with its summary and its last
// answers saved; it used to end the process on the spot (exit 129, no summary). `nohup` never kept it from
// doing so: Node sets every signal back to its default action when it starts (measured: a SIGHUP ignored by
// the shell before exec still ended node with 129), so to outlive the terminal use setsid, tmux or a service.
process.on('SIGHUP', listener);

/** The signals a run ignores, saying so (see ignoreUserSignal). */
export const IGNORED_SIGNALS = ['SIGUSR1', 'SIGUSR2'] as const;

// SIGUSR1 and SIGUSR2 (a log rotator's "reopen your logs", a stray kill -USR1) change nothing: Node's defaults were worse.
// SIGUSR1 opened Node's debugger on 127.0.0.1:9229, which any local user could connect to and run code in this process
// (its API token in reach), the run going on; SIGUSR2 ended the process at once, exit 140, with no line and no summary.
// A listener of its own keeps Node from opening the debugger (Node 20).
function ignoreUserSignal(signal: NodeJS.Signals): void {
  process.stderr.write(warningLine(`${signal} ignored: it does not stop sentiment-batch; send SIGTERM or SIGINT to stop the run (its checkpoint is saved)`));
}
for (const signal of IGNORED_SIGNALS) process.on(signal, ignoreUserSignal);

/** Signals the entry (cli.ts) held while this module loaded: each handled as if it came now (the first exits 130: nothing had begun). */
export function deliverHeld(signals: readonly NodeJS.Signals[]): void {
  for (const signal of signals) listener(signal);
}

/**
 * The command has returned, its summary printed and written: from here a signal has nothing to stop and changes
 * nothing, and the process exits at once with the code its summary gives (not 130, "nothing under way to save").
 */
export function holdSignals(): void {
  held = true;
}

/**
 * Routes the first signal to `onStop` until the returned function is called. `second`: the closing line of a second
 * signal, which exits at once (what it abandons: the requests in flight, sent again by the next run).
 */
export function onSignal(onStop: (signal: string) => void, second?: (signal: string) => string): () => void {
  handler = onStop;
  secondLine = second;
  return () => {
    if (handler === onStop) [handler, secondLine] = [undefined, undefined];
  };
}

/**
 * While a job runs: a second signal exits 130 at once, after `words` (synchronous,
 * quick: the summary file) say so.
 */
export function onSecondSignal(words: (signal: string) => void): () => void {
  hurriedWords = words;
  return () => {
    if (hurriedWords === words) hurriedWords = undefined;
  };
}

/**
 * While no job runs: a signal still exits 130 at once, after `words` has said
 * what the stop leaves behind (one line, the summary file). A second signal
 * does not wait for them.
 */
export function onSignalExit(words: (signal: string) => Promise<void>): () => void {
  lastWords = words;
  return () => {
    if (lastWords === words) lastWords = undefined;
  };
}
