#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAIN_HELP } from './commands/help.js';
import { scoreCommand, type CommandIo } from './commands/score.js';
import { ExitCode, SentimentBatchError } from './errors.js';
import { machineFaultOf } from './machine-fault.js';
import { findPackageRoot } from './package-root.js';

/**
 * The command line: the only place that calls process.exit. Every error a
 * user can cause arrives here as a SentimentBatchError and is printed as one
 * line that says what to do, with its documented exit code; anything else is
 * a bug and says so.
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io: CommandIo = { stdout: process.stdout, env: process.env, onSignal };
  switch (command) {
    case 'score':
    case 'run':
      return scoreCommand(command, rest, io);
    case 'estimate': {
      const { estimateCommand } = await import('./commands/estimate.js');
      return estimateCommand(rest, io);
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
    case '-h':
      process.stdout.write(MAIN_HELP);
      return command === undefined ? ExitCode.Usage : ExitCode.Done;
    default:
      throw new SentimentBatchError('usage', `unknown command '${command}'; expected score, run, estimate or serve (see --help)`);
  }
}

/** As PID 1 in a container Node has no default signal handling: these handlers are what make docker stop work. */
function onSignal(handler: (signal: string) => void): () => void {
  let received = 0;
  const listener = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received === 1) {
      handler(signal);
    } else {
      // A second signal: the last checkpoint is already durable, so leaving now loses nothing written.
      process.stderr.write(`sentiment-batch: second ${signal}, exiting now\n`);
      process.exit(ExitCode.Interrupted);
    }
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

function version(): string {
  const root = findPackageRoot() ?? '.';
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    error = machineFaultOf(error) ?? error;
    if (error instanceof SentimentBatchError) {
      process.stderr.write(`sentiment-batch: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`sentiment-batch: internal error (a bug, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = ExitCode.Internal;
    }
  },
);
