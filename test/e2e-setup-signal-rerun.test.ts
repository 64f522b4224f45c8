import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, logLines, runCli, tempDir } from './support/cli.js';

/**
 * A SIGTERM while the rerun of a job already done still set up (its scorer being made) logged "stopping while the job
 * still sets up: nothing has been sent or written, so there is no checkpoint to save", then the run ended exit 0,
 * "Already done (nothing to do)": with an output at its path the setup leaves the stop to the rerun
 * (docs/exit-codes.md#exit-130), and the line said otherwise. The signal is sent by a preload as the CLI asks for its embedded model's module
 * (test/support/signal-at-module.mjs), where a timed kill lands only by luck.
 */
describe('a signal while a rerun sets up (the real CLI, the signal at the embedded model\'s load)', () => {
  let dir: string;
  let cleanup: () => void;
  const hook = path.join(REPO_ROOT, 'test/support/signal-at-module.mjs');
  const input = path.join(REPO_ROOT, 'fixtures/reviews.csv');
  const signalled = { NODE_OPTIONS: `--import ${hook}`, SIGNAL_AT_MODULE: 'embedded' };
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const score = (output: string, env: Record<string, string> = {}) =>
    runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--log-format', 'json', '--summary-json', `${output}.summary.json`], { env });
  const signalLines = (stderr: string) => logLines(stderr).filter((line) => line.signal === 'SIGTERM').map((line) => line.msg);

  it('of a job already done: its line says the stop comes once set up and that such a rerun ends 0; it ends 0, "Already done"', async () => {
    const output = path.join(dir, 'done.csv');
    expect((await score(output)).code).toBe(0);
    const rerun = await score(output, signalled);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`Already done (nothing to do): ${output}`);
    expect(JSON.parse(readFileSync(`${output}.summary.json`, 'utf8'))).toMatchObject({ status: 'already-done', exitCode: 0 });
    expect(signalLines(rerun.stderr)).toEqual([
      'stopping once the job has set up (its output is at its path: a rerun that finds the job already done ends 0, "Already done", as its work was done); nothing has been sent or written so far',
    ]);
  });

  it('of a first run: the line says it stops as it sets up, nothing written, exit 130 (unchanged)', async () => {
    const output = path.join(dir, 'first.csv');
    const first = await score(output, signalled);
    expect(first.code, first.stderr).toBe(130);
    expect(signalLines(first.stderr)).toEqual(['stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save']);
    // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts), and every other line.
    expect(first.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
    expect(logLines(first.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
    expect({ output: existsSync(output), partial: existsSync(`${output}.partial`), checkpoint: existsSync(`${output}.checkpoint.json`) }).toEqual({ output: false, partial: false, checkpoint: false });
  });

  // With `-o -` the setup asked whether a file named '-' was in the working folder (the output's path, resolved) to
  // tell a completed job's rerun: with one there, the stop was left to a "rerun" that standard output never is, and the
  // run went on past its setup: the CSV header written to standard output and "Interrupted", after a line that said
  // nothing had been written.
  it('of a run to standard output, with a file named "-" in the working folder: stopped as it sets up, nothing written', async () => {
    const cwd = path.join(dir, 'dash');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, '-'), 'a file of the user named "-"\n');
    const run = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', '-', '--log-format', 'json'], { cwd, env: signalled });
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toBe('');
    expect(signalLines(run.stderr)).toEqual(['stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save']);
    // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts), and every other line.
    expect(run.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
    expect(logLines(run.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
    expect(readFileSync(path.join(cwd, '-'), 'utf8')).toBe('a file of the user named "-"\n');
  });
});
