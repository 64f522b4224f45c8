import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtCli, REPO_ROOT } from './cli.js';
import { runScoreCommand } from './run-score-command.js';

type ScoreModule = typeof import('../../src/commands/score.js');

/** Node's import() (support/native-import.cjs): what it loads is neither transformed nor reloaded per test file. */
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (url: string) => Promise<unknown>;

let built: Promise<ScoreModule> | undefined;

/**
 * `score ARGS` run in this process, as support/score-in-process.ts's scoreInProcess runs it, but the command tsc built
 * beside the bundle (dist/src/commands/score.js, made by the same `npm run build`), loaded by Node itself: for an
 * end-to-end file whose set-up runs (a scored file to report on, to score again, to resume), or runs whose rows and
 * summary alone are the subject, need no CLI start. scoreInProcess has the module runner transform src/ on a test
 * process's first call: a file of one 2-row run took 5.6 s of CPU against 2.0 s for an empty file (`/usr/bin/time npx
 * vitest run` of each, 2-core machine at load ~19), more than the 0.45 s of a CLI start it saves, unless a file makes
 * seven or more. Node loads the built command once per test process: the same file took 2.7 s, and 3.8 s for ten runs.
 * A bundle older than src/ is refused, as spawnCli refuses it.
 *
 * The environment is the one runCli gives the CLI (cleanEnv); standard output is collected; the log is off unless
 * `args` set --log-level; signals are not handled. A refusal is thrown, not returned as its exit code (command-line.ts
 * maps it): a test of exit codes, of error lines or of signals spawns the CLI (support/cli.ts).
 */
export async function scoreInBuiltProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  builtCli();
  built ??= nativeImport(pathToFileURL(path.join(REPO_ROOT, 'dist/src/commands/score.js')).href) as Promise<ScoreModule>;
  const { scoreCommand } = await built;
  return runScoreCommand(scoreCommand, args);
}
