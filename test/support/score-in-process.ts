import { Writable } from 'node:stream';
import { scoreCommand } from '../../src/commands/score.js';
import { cleanEnv } from './cli.js';

/**
 * `score ARGS` run in this process: for a test whose subject is what a run leaves behind (the scored file, its summary
 * beside it) and not the command line, the command the CLI runs (command-line.ts calls scoreCommand) without a Node
 * start and the loading of the bundle (~0.3 s of CPU each on the 2-core machine). The environment is the one runCli
 * gives the CLI (cleanEnv); standard output is collected, as runCli collects it. The log, which would go to this
 * process's standard error among the test run's lines, is off unless `args` set --log-level. Signals are not handled:
 * a test of them, of exit codes or of error lines spawns the CLI (support/cli.ts).
 */
export async function scoreInProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const quiet = args.some((arg) => arg === '--log-level' || arg.startsWith('--log-level=')) ? [] : ['--log-level', 'silent'];
  const code = await scoreCommand('score', [...args, ...quiet], { stdout, env: cleanEnv(), onSignal: () => () => undefined });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}
