import { scoreCommand } from '../../src/commands/score.js';
import { runScoreCommand } from './run-score-command.js';

/**
 * `score ARGS` run in this process: for a test whose subject is what a run leaves behind (the scored file, its summary
 * beside it) and not the command line, the command the CLI runs (command-line.ts calls scoreCommand) without a Node
 * start and the loading of the bundle (~0.3 s of CPU each on the 2-core machine). The environment is the one runCli
 * gives the CLI (cleanEnv), with `env` added as runCli's `env` option adds it (a test's Workers AI server, another
 * HF_HUB_CACHE); standard output is collected, as runCli collects it. The log, which would go to this process's
 * standard error among the test run's lines, is off unless `args` set --log-level. Signals are not handled: a test of
 * them, of exit codes or of error lines spawns the CLI (support/cli.ts).
 */
export function scoreInProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  return runScoreCommand(scoreCommand, args, env);
}
