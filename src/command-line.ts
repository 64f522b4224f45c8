// Loaded by cli.ts, after the signal handlers: signals are handled from the first moment.
import { holdSignals, onSecondSignal, onSignal, onSignalExit } from './process/signals.js';
import { mayTellOn, standardStreamFault, streamFaultWords } from './process/standard-streams.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandIo } from './commands/score.js';
import { didYouMean } from './config/did-you-mean.js';
import { shellWord } from './wording/shell-word.js';
import { ExitCode, MachineFaultError, SentimentBatchError, errorMessage } from './errors.js';
import { addressSpaceWords, wasmMemoryRefusal } from './process/address-space.js';
import { oneLineErrorOf } from './escaped-error.js';
import { closingLine, errorLine, jsonLinesAsked } from './process/error-line.js';
import { withoutKnownSecret } from './process/known-secret.js';
import { findPackageRoot } from './package-root.js';

/**
 * The command line: the only place that calls process.exit. Every error a
 * user can cause arrives here as a SentimentBatchError and is printed as one
 * line that says what to do, with its documented exit code (a refusal of the
 * operating system no code of ours expected becomes one too: escaped-error.ts);
 * anything else is a bug and says so.
 */
const COMMANDS = ['score', 'run', 'estimate', 'report', 'model', 'serve'];

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io: CommandIo = { stdout: process.stdout, env: process.env, onSignal, onSignalExit, onSecondSignal };
  switch (command) {
    case 'score':
    case 'run': {
      const { scoreCommand } = await import('./commands/score.js');
      return scoreCommand(command, rest, io);
    }
    case 'estimate': {
      const { estimateCommand } = await import('./commands/estimate.js');
      return estimateCommand(rest, io);
    }
    case 'report': {
      const { reportCommand } = await import('./commands/report.js');
      return reportCommand(rest, io);
    }
    case 'model': {
      const { modelCommand } = await import('./commands/model.js');
      return modelCommand(rest, { ...io, stderr: process.stderr });
    }
    case 'serve': {
      const { serveCommand } = await import('./commands/serve.js');
      return serveCommand(rest, io);
    }
    case '--version':
    case '-v':
      process.stdout.write(`${version()}\n`);
      return ExitCode.Done;
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      // 'help score' is 'score --help' (an unknown command is refused as it is without 'help').
      if (command === 'help' && rest[0] !== undefined) return main([rest[0], '--help']);
      const { MAIN_HELP } = await import('./commands/main-help.js');
      process.stdout.write(MAIN_HELP);
      return command === undefined ? ExitCode.Usage : ExitCode.Done;
    }
    default:
      throw new SentimentBatchError(
        'usage',
        `unknown command '${command}'${didYouMean(command, COMMANDS)}; expected ${COMMANDS.join(', ')} (see --help)${fileInPlace(command)}`,
      );
  }
}

/**
 * A file named where the command goes (`sentiment-batch reviews.csv`, as other tools take a file first): the command that
 * takes it, so the list of commands is not left to guess from. Empty for any other word.
 */
function fileInPlace(word: string): string {
  if (/\.json$/i.test(word)) return `: to run a job file, name the command first: sentiment-batch run ${shellWord(word)}`;
  if (/\.(csv|tsv|jsonl|ndjson|txt|json)(\.gz)?$/i.test(word)) return `: to score the file, name the command first: sentiment-batch score ${shellWord(word)}`;
  return '';
}

function version(): string {
  const root = findPackageRoot() ?? '.';
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Ends the process on an error: a SentimentBatchError's one line and exit code, anything else an internal error (1). */
function endOnError(error: unknown): void {
  holdSignals();
  error = oneLineErrorOf(error) ?? error;
  // undici's parser refused its address space as the client loaded (ulimit -v): the machine's limit, not a bug.
  const refusal = wasmMemoryRefusal(error);
  if (refusal !== undefined) error = new MachineFaultError('ENOMEM', addressSpaceWords(refusal), { cause: error });
  if (error instanceof SentimentBatchError) {
    // One line (plain, or JSON when JSON logs were asked for), or none when the run's log said it already.
    const line = errorLine(error.message, error.exitCode);
    if (line !== '') process.stderr.write(line);
    process.exitCode = error.exitCode;
  } else {
    const bug = `internal error (a bug, please report it): ${(error instanceof Error ? error.stack : undefined) ?? errorMessage(error)}`;
    // Plain: the stack trace as it is, line by line, for the bug report. JSON: one line, the stack inside it.
    process.stderr.write(jsonLinesAsked() ? closingLine(bug, ExitCode.Internal) : `sentiment-batch: ${withoutKnownSecret(bug)}\n`);
    process.exitCode = ExitCode.Internal;
  }
  exitNow(process.exitCode);
}

// A rejection nobody handled (one was ioredis's own re-subscribe, closed under it: redis-connection.ts) is a
// bug: it ends the process as the command's own errors do, in the same words, rather than with Node's bare
// stack trace. The exit code (1) is the one Node gave; nothing is hidden.
process.on('unhandledRejection', endOnError);

main(process.argv.slice(2)).then(async (code) => {
  holdSignals();
  process.exitCode = code === ExitCode.Done ? await exitCodeAfterStreamFault() : code;
  exitNow(process.exitCode);
}, endOnError);

/**
 * A command that did its work but could not write its summary or log (a full
 * disk under the file standard output or error goes to) ends 74, the machine
 * refused, saying so on the other stream if it still takes writes: exit 0 would
 * tell a scheduler all is well while its log lost the night. A reader that went
 * away (`| head`) is not a fault: the work is done.
 */
async function exitCodeAfterStreamFault(): Promise<number> {
  // A failed write is reported by an 'error' event Node emits on a later tick: let the last writes report.
  await new Promise((resolve) => setImmediate(resolve));
  const fault = standardStreamFault();
  if (!fault) return ExitCode.Done;
  const otherName = fault.stream === 'standard output' ? 'standard error' : 'standard output';
  // Not into the records of `-o -`: a line of ours there would be a corrupt record.
  if (mayTellOn(otherName)) {
    const words = streamFaultWords(fault);
    // On standard error, where the log goes: a JSON line when JSON logs were asked for. Standard output is a person's.
    if (otherName === 'standard error') process.stderr.write(closingLine(words, ExitCode.MachineFault));
    else process.stdout.write(`sentiment-batch: ${words}\n`);
  }
  return ExitCode.MachineFault;
}

/**
 * The process ends as soon as its command has: left to end by itself, Node takes
 * 100–400 ms more to tear down a large heap (measured under load), its signal
 * handlers gone, and a SIGTERM in that time met the default action, ending it
 * with 143 while its summary said otherwise: a second SIGTERM to a stopped run
 * (its summary said 130), and a first one just after a run completed (its summary
 * said 0; seen by the byte-for-byte fuzz, bench/bytes-fuzz.ts). Everything the
 * command wrote is written by now (standard output and error are synchronous to
 * pipes and files, the log too).
 */
function exitNow(code: number | string | undefined): void {
  process.exit(code);
}
