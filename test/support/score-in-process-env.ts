import { Writable } from 'node:stream';
import { scoreCommand } from '../../src/commands/score.js';
import { cleanEnv } from './cli.js';

/**
 * scoreInProcess (support/score-in-process.ts) with variables added to the environment the run sees, as runCli's
 * `env` option adds them: a set-up run against a test's Workers AI server (support/workers-ai-env.ts), or one that
 * points HF_HUB_CACHE elsewhere, without a Node start and the loading of the bundle. The same limits: no signals, the
 * log off unless `args` set --log-level; a test of exit codes or error lines spawns the CLI (support/cli.ts).
 */
export async function scoreInProcessWithEnv(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const quiet = args.some((arg) => arg === '--log-level' || arg.startsWith('--log-level=')) ? [] : ['--log-level', 'silent'];
  const code = await scoreCommand('score', [...args, ...quiet], { stdout, env: cleanEnv(env), onSignal: () => () => undefined });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}
