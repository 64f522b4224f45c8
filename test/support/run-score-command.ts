import { Writable } from 'node:stream';
// A type only: support/score-in-built-process.ts passes the built command, and must not have the module runner load src/.
import type { scoreCommand } from '../../src/commands/score.js';
import { cleanEnv } from './cli.js';

/**
 * `args` given to `command` (src/commands/score.ts's scoreCommand, or the one tsc built) as a test's in-process run gives
 * them: the environment runCli gives the CLI with `env` added, standard output collected, the log off unless `args` set
 * --log-level, signals not handled.
 */
export async function runScoreCommand(
  command: typeof scoreCommand,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string }> {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const quiet = args.some((arg) => arg === '--log-level' || arg.startsWith('--log-level=')) ? [] : ['--log-level', 'silent'];
  const code = await command('score', [...args, ...quiet], { stdout, env: cleanEnv(env), onSignal: () => () => undefined });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}
