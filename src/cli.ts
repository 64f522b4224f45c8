#!/usr/bin/env node
import { closeSync, openSync } from 'node:fs';
// The one module of this package imported statically: the bundle puts it in this file (scripts/bundle-cli.ts), so it
// opens no file, and it must run before anything reads a file asynchronously (see there).
import { noRoomWords, threadRoom } from './process/thread-room.js';

/**
 * The entry point. Before anything of this package is loaded it checks that the
 * process may open enough files: Node opens a module's imports all at once, and
 * under a low open-files limit (ulimit -n) that failed before any code of ours
 * could run (Node's stack trace), or met the limit while resolving a package and
 * said "Cannot find package" (an internal error, exit 1). Hence no static import (but process/thread-room.ts, bundled in)
 * of this package here; the command line itself is command-line.ts.
 */
// A signal before process/signals.js is loaded (during the open-files check, or while that module loads: 8-90 ms
// measured on a loaded 2-core machine) is held here and handed to it once it is: Node's default action ended the
// process with 143 and no word. Only Node's own start, before this line runs, is left to that default (docs/durability.md, "Signals").
// The signals process/signals.js handles; this file loads nothing of the package before the check.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const early: NodeJS.Signals[] = [];
const hold = (signal: NodeJS.Signals): void => void early.push(signal);
for (const signal of STOP_SIGNALS) process.on(signal, hold);
// SIGUSR1 would open Node's debugger and SIGUSR2 end the process (process/signals.ts ignores both, saying so): ignored
// here until then, nothing under way to say it to.
const ignore = (): void => undefined;
for (const signal of ['SIGUSR1', 'SIGUSR2'] as const) process.on(signal, ignore);

// More than the largest command opens at once beside what Node holds at start: `report`, loading vega, failed under a limit of 116, measured.
const FILES_NEEDED = 128;
// ExitCode.MachineFault (errors.ts), not loaded yet.
const MACHINE_FAULT = 74;
// pino's "error" level, as process/error-line.ts writes it.
const ERROR_LEVEL = 50;

const short = filesShort(FILES_NEEDED);
// Under a process limit (--pids-limit) too low for libuv's pool, the first file read ended Node with exit 139 and no
// line: the pool is made to fit (UV_THREADPOOL_SIZE, read when it starts), or the run ends here saying why.
const room = threadRoom(process.env.UV_THREADPOOL_SIZE);
if (room.kind === 'smaller') process.env.UV_THREADPOOL_SIZE = String(room.threads);
if (short) {
  const which = short.code === 'EMFILE' ? 'this process may open (ulimit -n, e.g. to 1024)' : 'this machine may open (sysctl fs.file-max), or close other programs';
  machineFault(`too few open files allowed (${short.code}): it could open only ${short.free} more and needs about ${FILES_NEEDED} at once; raise the number of files ${which}, then run the same command again`);
} else if (room.kind === 'none') {
  machineFault(noRoomWords(room));
} else {
  // First: signals are handled from the first moment (everything heavier is loaded after this); those held meanwhile now.
  // Before signals.js handles any (its handlers are installed as it loads, the held ones delivered below): a signal's
  // line (exit 130) is JSON when the command line asks for JSON logs. Signals meanwhile are held, not lost.
  // Only `score` and `run` log, and only their arguments can ask for JSON lines: the other commands (--help, serve,
  // report...) do not load the option table this reads them with.
  const command = process.argv[2];
  const scoring = command === 'score' || command === 'run';
  if (scoring) (await import('./config/asked-log-format.js')).noteJsonLinesAsked(command, process.argv.slice(3));
  const signals = await import('./process/signals.js');
  for (const signal of STOP_SIGNALS) process.off(signal, hold);
  for (const signal of signals.IGNORED_SIGNALS) process.off(signal, ignore);
  signals.deliverHeld(early);
  // Then a failed write to standard output or error is a line and an exit code, not a stack trace (see there).
  (await import('./process/standard-streams.js')).watchStandardStreams();
  // Before undici compiles its HTTP parser (see there): only the commands that make HTTP requests (Workers AI, the Hub).
  if (scoring || command === 'model') await import('./process/wasm-tiering.js');
  await import('./command-line.js');
}

/** Ends the run with `words`, exit 74, before anything of this package but thread-room.ts is loaded. */
function machineFault(words: string): void {
  // As process/error-line.ts words every other closing line (not loaded: it is a module of this package), JSON when
  // the arguments ask for JSON logs by name: a JSON-only log collector could not parse the plain line.
  process.stderr.write(jsonLogsInArgv(process.argv.slice(2)) ? `${JSON.stringify({ level: ERROR_LEVEL, time: Date.now(), exitCode: MACHINE_FAULT, msg: words })}\n` : `sentiment-batch: ${words}\n`);
  process.exitCode = MACHINE_FAULT;
}

/** Opens `wanted` files (each closed again at once): undefined when it could, else how many it could and why not. */
function filesShort(wanted: number): { free: number; code: string } | undefined {
  // Windows has no per-process limit of this kind, and no /dev/null.
  if (process.platform === 'win32') return undefined;
  const opened: number[] = [];
  try {
    while (opened.length < wanted) opened.push(openSync('/dev/null', 'r'));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // Any other refusal (no /dev/null in a bare chroot) says nothing about the limit: the check is skipped.
    return code === 'EMFILE' || code === 'ENFILE' ? { free: opened.length, code } : undefined;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

/**
 * Whether `score` or `run` was given `--log-format json` (the last --log-format before `--`, as the parser takes it):
 * config/asked-log-format.ts's reading of the raw arguments, written out here because nothing may be loaded yet. A job
 * file's "logFormat" is not read: under a limit that left no file free (`short.free` 0) it could not be opened either.
 */
function jsonLogsInArgv(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  if (command !== 'score' && command !== 'run') return false;
  let value: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--') break;
    if (arg === '--log-format' && rest[i + 1] !== undefined) value = rest[++i];
    else if (arg.startsWith('--log-format=')) value = arg.slice('--log-format='.length);
  }
  return value === 'json';
}
