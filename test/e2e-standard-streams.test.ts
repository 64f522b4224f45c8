import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, REPO_ROOT, runCli, tempDir } from './support/cli.js';

/**
 * Standard output or error that refuses writes: a full disk under a cron
 * line's `>> log 2>&1` (here /dev/full: every write is ENOSPC), or a reader
 * that went away (`| true`). Each ended in Node's stack trace and exit 1.
 */
const FULL = '/dev/full';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with standard output and/or error going to /dev/full (the other one captured). */
function runInto(args: string[], into: { stdout?: 'full' | 'closed'; stderr?: 'full' }): Promise<Ended> {
  const full = openSync(FULL, 'w');
  const child = spawn(process.execPath, [builtCli(), ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', into.stdout === 'full' ? full : 'pipe', into.stderr === 'full' ? full : 'pipe'],
  });
  closeSync(full);
  let stdout = '';
  let stderr = '';
  // A reader that goes away at once: the summary meets a closed pipe (EPIPE).
  if (into.stdout === 'closed') child.stdout?.destroy();
  else child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(!existsSync(FULL))('standard output or error that refuses writes', () => {
  let dir: string;
  let cleanup: () => void;
  let reference: Buffer;
  const score = (output: string) => ['score', FIXTURE, '--text-column', 'review', '-o', output, '--log-level', 'warn'];
  const NO_TRACE = /\n\s+at |internal error|Unhandled/;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const output = path.join(dir, 'reference.csv');
    expect((await runCli(score(output))).code).toBe(0);
    reference = readFileSync(output);
  });
  afterAll(() => cleanup());

  it('a full disk under standard output: the job completes, one line on standard error, exit 74', async () => {
    const output = path.join(dir, 'full-stdout.csv');
    const ended = await runInto(score(output), { stdout: 'full' });
    expect(ended.stderr).not.toMatch(NO_TRACE);
    expect(ended.stderr).toBe(
      'sentiment-batch: could not write to standard output (ENOSPC: no space left on device, write): what was printed there is lost (the command\'s work is done); free space where it goes, or send it elsewhere\n',
    );
    expect(ended.code).toBe(74);
    // The scored file is complete all the same.
    expect(readFileSync(output).equals(reference)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('--summary-json says the exit code the process ends with: 74 for a full disk under standard output or error, not 0', async () => {
    // A monitor reading the file saw `exitCode: 0` where cron saw 74 (a full /var/log under `>> log 2>&1`).
    for (const into of [{ stdout: 'full' }, { stderr: 'full' }] as const) {
      const output = path.join(dir, `summary-${Object.keys(into)[0]}.csv`);
      const summary = `${output}.summary.json`;
      // Under standard error, the log's info lines are what meet the full disk (--log-level warn writes none there).
      const args = 'stderr' in into ? ['score', FIXTURE, '--text-column', 'review', '-o', output] : score(output);
      const ended = await runInto([...args, '--summary-json', summary], into);
      expect(ended.code).toBe(74);
      const said = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; exitCode: number; message?: string };
      expect(said.status).toBe('done');
      expect(said.exitCode).toBe(74);
      expect(said.message).toMatch(/^could not write to standard (output|error) \(ENOSPC: no space left on device, write\): what was printed there is lost/);
      expect(readFileSync(output).equals(reference)).toBe(true);
    }
  });

  it('-o - into /dev/null or a closed standard output: exit 2 before any work, not every record thrown away at exit 0', async () => {
    // Node puts /dev/null in place of a closed descriptor: the run went to its end, exit 0, its records nowhere (and with
    // Workers AI, every request paid for), where `-o /dev/null` is refused (test/e2e-output-targets.test.ts).
    const line = /^sentiment-batch: -o -: standard output is \/dev\/null \(or was closed, which Node replaces with \/dev\/null\), so every scored record would be thrown away: send it to a file or a pipe/;
    const args = ['score', FIXTURE, '--text-column', 'review', '-o', '-'];
    const devNull = spawnSync(process.execPath, [builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const closed = spawnSync('sh', ['-c', 'exec >&-; exec "$@"', 'sh', process.execPath, builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    for (const ended of [devNull, closed]) {
      expect(ended.stderr).not.toMatch(NO_TRACE);
      expect(ended.stderr).toMatch(line);
      expect(ended.status).toBe(2);
    }
    // A file or a pipe at standard output is written as before.
    const piped = spawnSync(process.execPath, [builtCli(), ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(reference.toString('utf8'));
  });

  it('--help into a full disk is exit 74 too, not exit 0 or a stack trace', async () => {
    const ended = await runInto(['--help'], { stdout: 'full' });
    expect(ended.stderr).toMatch(/^sentiment-batch: could not write to standard output \(ENOSPC/);
    expect(ended.code).toBe(74);
  });

  it('a full disk under standard error: exit 74 (nowhere to say why), the summary still on standard output', async () => {
    const output = path.join(dir, 'full-stderr.csv');
    const ended = await runInto(['score', FIXTURE, '--text-column', 'review', '-o', output], { stderr: 'full' });
    expect(ended.stdout).toMatch(/^Done: /);
    expect(ended.stdout).toMatch(/\nsentiment-batch: could not write to standard error \(ENOSPC: no space left on device, write\)/);
    expect(ended.code).toBe(74);
    expect(readFileSync(output).equals(reference)).toBe(true);
  });

  it('records to standard output (-o -) on a full disk: exit 74 saying how far it got, not "closed" (exit 2)', async () => {
    const ended = await runInto(['score', FIXTURE, '--text-column', 'review', '-o', '-', '--log-level', 'warn'], { stdout: 'full' });
    expect(ended.stderr).not.toMatch(NO_TRACE);
    expect(ended.stderr).toMatch(/^sentiment-batch: could not write to standard output after \d+ bytes \(ENOSPC: no space left on device, write\); the rest of the records were not written: free space where it goes, or send it elsewhere\n$/);
    expect(ended.code).toBe(74);
  });

  it('records to standard output (-o -) with a full disk under standard error: the records alone, nothing of ours among them, exit 74', async () => {
    const ended = await runInto(['score', FIXTURE, '--text-column', 'review', '-o', '-'], { stderr: 'full' });
    expect(ended.stdout).toBe(reference.toString('utf8'));
    expect(ended.code).toBe(74);
  });

  // Was: exit 74 with 'write failed: broken pipe (EPIPE); check that path and the machine, then run the same command again',
  // and for a full disk 'no space left on the device holding a file (write): ... (it continues from the checkpoint)'.
  it('report -o - to a reader that went away, or to a full disk: one line about standard output, as score -o - says it (exit 2, 74)', async () => {
    const scored = path.join(dir, 'reference.csv');
    // A page larger than a pipe's buffer, so that the write meets the closed pipe.
    const report = ['report', scored, '-o', '-', '--format', 'json', '--by', 'id', '--groups', '1000'];
    const closed = await runInto(report, { stdout: 'closed' });
    expect(closed.stderr).not.toMatch(NO_TRACE);
    expect(closed.stderr).toMatch(/^sentiment-batch: standard output was closed \(write EPIPE\); the rest of the report was not written\n$/);
    expect(closed.code).toBe(2);
    const full = await runInto(report, { stdout: 'full' });
    expect(full.stderr).toBe('sentiment-batch: could not write to standard output (ENOSPC: no space left on device, write); the report was not written whole: free space where it goes, or send it elsewhere\n');
    expect(full.code).toBe(74);
  });

  it('a reader that went away (| true) is not a fault: the job is done, exit 0', async () => {
    const output = path.join(dir, 'closed-stdout.csv');
    const ended = await runInto(score(output), { stdout: 'closed' });
    expect(ended.stderr).not.toMatch(NO_TRACE);
    expect(ended.code).toBe(0);
    expect(readFileSync(output).equals(reference)).toBe(true);
  });
});
