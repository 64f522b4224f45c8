import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startServer } from '../src/server/index.js';
import { REPO_ROOT, logLines, runCli, spawnCli, waitFor, waitWhileRunning } from './support/cli.js';
import { killedWaitingOnPipe } from './support/pipe-wait.js';
import { expectCleanError } from './support/e2e-dir.js';
import { loneRunFixture } from './support/lone-run.js';
import { TestScorer } from './support/test-scorer.js';

const ROWS = 120;

/**
 * A folder where the job keeps one of its own files (made by hand, a copy or a
 * restore gone wrong): fs.rm on it throws Node's SystemError ERR_FS_EISDIR, an
 * errno in disguise, which escaped as 'internal error (a bug…)', exit 1, with a
 * stack trace; a checkpoint that is a folder was exit 3 'cannot read checkpoint
 * …: EISDIR: illegal operation on a directory, read', an input error that said
 * nothing of what to do. Each is one line naming the file, exit 74; the folder
 * is never removed for the user, and once it is moved away the job finishes
 * with the lone run's bytes. A folder at the journal's path once the output is
 * complete is a warning, the run done: nothing needs that journal any more.
 */
describe('a folder or a named pipe in place of one of the job\'s own files', () => {
  const job = loneRunFixture({ rows: ROWS, flags: ['--rpm', '600000'], server: { latency: '1-3ms' } });
  const { dir, input, env, args } = job;

  /** A run paused by its budget: partial output, checkpoint, journal. */
  const paused = async (name: string): Promise<string> => {
    const output = path.join(dir, `${name}.csv`);
    expect((await runCli(args(output, '--max-requests', '60'), { env: env() })).code).toBe(75);
    expect(existsSync(`${output}.partial`)).toBe(true);
    return output;
  };

  /**
   * A folder at the journal's path once the output is complete: the run is done (exit 0), the folder left there and
   * named by one warning (completed-job-files.ts removeLeftoverJournal), as a store that cannot be removed is.
   */
  const expectJournalFolderWarned = (r: { code: number | null; stdout: string; stderr: string }, output: string, summaryFile: string) => {
    expect(r.stderr).not.toMatch(/sentiment-batch:|\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Done: /);
    // Among the run's warnings (a start after a kill -9 also says it took over the killed run's lock).
    const warned = logLines(r.stderr).filter((line) => line['level'] === 40).map((line) => String(line['msg']));
    expect(warned.filter((line) => line.includes(`${output}.journal`))).toEqual([`${output}.journal is a folder where the answer journal was, which the complete job no longer needs: the output is complete; move or remove that folder (it is never removed for you): another job at this output cannot keep its answers there`]);
    expect(statSync(`${output}.journal`).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'done', exitCode: 0 });
  };

  const expectOneLine = (r: { code: number | null; stderr: string }, line: RegExp) => {
    expect(r.code).toBe(74);
    expectCleanError(r.stderr);
    const plain = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(line);
  };

  it('the partial output: one line naming it, exit 74 (was exit 1, a stack trace); moved away, the job finishes', async () => {
    const output = await paused('partial');
    rmSync(`${output}.partial`);
    mkdirSync(`${output}.partial`);
    const r = await runCli(args(output, '--log-format', 'json'), { env: env() });
    // --log-format json: every line JSON, the fault's one line among them at error (test/e2e-closing-line-json.test.ts).
    expect(r.code).toBe(74);
    expectCleanError(r.stderr);
    expect(r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'))).toEqual([]);
    const errors = logLines(r.stderr).filter((l) => l['level'] === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!['msg']).toMatch(new RegExp(`^${output}\\.partial is a folder, expected a file: move or remove that folder`));
    expect(statSync(`${output}.partial`).isDirectory()).toBe(true);
    rmSync(`${output}.partial`, { recursive: true });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it('the checkpoint: one line naming it and what to do, exit 74 (was exit 3, "EISDIR: illegal operation on a directory")', async () => {
    const output = await paused('checkpoint');
    rmSync(`${output}.checkpoint.json`);
    mkdirSync(`${output}.checkpoint.json`);
    const r = await runCli(args(output), { env: env() });
    expectOneLine(r, new RegExp(`^sentiment-batch: the checkpoint ${output}\\.checkpoint\\.json is a folder, not a file: move or remove that folder, then run the same command again`));
    expect(statSync(`${output}.checkpoint.json`).isDirectory()).toBe(true);
    rmSync(`${output}.checkpoint.json`, { recursive: true });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  // A folder made at the checkpoint's path while the run works refuses the next checkpoint's rename: the line was
  // '….checkpoint.json.tmp-PID -> ….checkpoint.json is a folder, expected a file: … then run the same command again
  // (it continues from the checkpoint)', a promise about the very file that is broken.
  it('the checkpoint, made a folder while the run works: one line naming it, the job starts over (never "continues from the checkpoint"), exit 74', async () => {
    const slow = await startServer({ scorer: new TestScorer(), latency: '20-30ms' });
    try {
      const output = path.join(dir, 'checkpoint-mid-run.csv');
      const slowEnv = { ...env(), CLOUDFLARE_BASE_URL: slow.baseURL };
      const run = spawnCli(args(output, '--concurrency', '1', '--checkpoint-interval', '200ms'), { env: slowEnv });
      const checkpoint = `${output}.checkpoint.json`;
      await waitWhileRunning(run, () => existsSync(checkpoint), 'the first checkpoint');
      // The run may rename its next checkpoint in between: then take that one away too.
      await waitFor(() => {
        rmSync(checkpoint, { force: true });
        try {
          mkdirSync(checkpoint);
          return true;
        } catch {
          return false;
        }
      }, 10_000, 'a folder at the checkpoint');
      const r = await run.result;
      expectOneLine(r, new RegExp(`^sentiment-batch: the checkpoint ${checkpoint.replace(/\./g, '\\.')} is a folder, not a file: move or remove that folder, then run the same command again \\(the job starts over without its checkpoint\\)$`));
      expect(r.stderr).not.toMatch(/continues from the checkpoint/);
      expect(statSync(checkpoint).isDirectory()).toBe(true);
      rmSync(checkpoint, { recursive: true });
      const again = await runCli(args(output), { env: slowEnv });
      expect(again.code, again.stderr).toBe(0);
      expect(readFileSync(output).equals(job.reference)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  // With --restart the checkpoint is not read but written: the folder refused the rename, and the line ended '(it continues
  // from the checkpoint)', though there was none to continue from (a folder 'exists') and --restart starts over anyway.
  it('the checkpoint with --restart: one line, which does not promise to continue from a checkpoint that is a folder', async () => {
    const output = await paused('checkpoint-restart');
    rmSync(`${output}.checkpoint.json`);
    mkdirSync(`${output}.checkpoint.json`);
    const r = await runCli(args(output, '--restart'), { env: env() });
    expectOneLine(r, new RegExp(`^sentiment-batch: the checkpoint ${output}\\.checkpoint\\.json is a folder, not a file: move or remove that folder, then run the same command again \\(the job starts over without its checkpoint\\)$`));
    expect(r.stderr).not.toMatch(/continues from the checkpoint/);
    expect(statSync(`${output}.checkpoint.json`).isDirectory()).toBe(true);
    rmSync(`${output}.checkpoint.json`, { recursive: true });
    expect((await runCli(args(output, '--restart'), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  // Exit 1 with a stack trace at first, then exit 74 'Stopped:' with the output complete: nothing needs that journal.
  it('the journal, replaced by a folder while the run works: a warning naming it when the run removes it, done', async () => {
    const output = path.join(dir, 'journal.csv');
    const summaryFile = path.join(dir, 'journal-summary.json');
    const run = spawnCli(args(output, '--concurrency', '1', '--summary-json', summaryFile), { env: env() });
    await waitWhileRunning(run, () => existsSync(`${output}.journal`) && statSync(`${output}.journal`).size > 0, 'the journal');
    rmSync(`${output}.journal`);
    mkdirSync(`${output}.journal`);
    const r = await run.result;
    expectJournalFolderWarned(r, output, summaryFile);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
    expect(r.stdout).not.toMatch(/\.partial/);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ totals: { read: ROWS } });
  });

  // A run with no journal of its own (the embedded model) removes one an earlier remote run left: a folder there
  // failed the same way at the very end, after the output was renamed complete.
  it('a folder at the journal\'s path in an embedded run: the output is complete, a warning names the folder, done', async () => {
    const output = path.join(dir, 'journal-embedded.csv');
    const summaryFile = path.join(dir, 'journal-embedded.json');
    mkdirSync(`${output}.journal`);
    const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded', '--summary-json', summaryFile]);
    expectJournalFolderWarned(r, output, summaryFile);
    expect(existsSync(output)).toBe(true);
    // The next run has nothing to do.
    expect((await runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded'])).stdout).toMatch(/^Already done/);
  });

  // A run killed between marking its checkpoint complete and renaming the output is finished by the next start, which
  // renames it and removes the journal: a folder there failed that start the same way, after the rename.
  it('a folder at the journal\'s path when a start finishes the rename a killed run left: the output is complete, a warning names the folder, done', async () => {
    const output = path.join(dir, 'journal-finish-rename.csv');
    const summaryFile = path.join(dir, 'journal-finish-rename.json');
    const argv = ['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded', '--summary-json', summaryFile];
    const killed = await runCli(argv, { env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(output)).toBe(false);
    mkdirSync(`${output}.journal`);
    const r = await runCli(argv);
    expectJournalFolderWarned(r, output, summaryFile);
    expect(existsSync(output)).toBe(true);
  });

  // A named pipe planted where the checkpoint, the journal or the failed-rows list is read: open() waited for a
  // writer forever, so the run hung holding the output's lock (its heartbeat alive: every later run exited 75).
  // Now it is never read: the checkpoint is unusable (the run starts over), the journal and the list are as if
  // missing, and each is replaced by the file the run writes there. A run found waiting on the pipe is killed at
  // once (pipe-wait.ts); it was killed after a fixed 30 s, which healthy runs took on a loaded CI machine.
  it.skipIf(process.platform === 'win32')('a named pipe at the checkpoint, the journal or the failed-rows list: the run does not wait on it and finishes with the lone run\'s bytes', async () => {
    for (const suffix of ['.checkpoint.json', '.journal', '.failed-rows']) {
      const output = await paused(`fifo${suffix.replace(/\W/g, '-')}`);
      rmSync(`${output}${suffix}`, { force: true });
      execFileSync('mkfifo', [`${output}${suffix}`]);
      const child = spawnCli(args(output), { env: env() });
      onTestFinished(() => void child.kill('SIGKILL'));
      expect(await killedWaitingOnPipe(child), `${suffix}: the run waits on the named pipe`).toBe(false);
      const r = await child.result;
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(output).equals(job.reference)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.startsWith(path.basename(output)) && f !== path.basename(output) && !f.endsWith('.checkpoint.json'))).toEqual([]);
    }
  });

  // The partial output removed while the run works: the run went on sending every row left, writing them into the
  // removed file, and failed only at the end, 'rename ….partial -> … failed: no such file or directory (ENOENT);
  // check that path and the machine'. It now stops at its next checkpoint, saying what happened.
  it('the partial output removed while the run works: it stops at the next checkpoint, one line saying so, exit 74; the next run finishes', async () => {
    const slow = await startServer({ scorer: new TestScorer(), latency: '20-30ms' });
    try {
      const output = path.join(dir, 'removed.csv');
      const slowEnv = { ...env(), CLOUDFLARE_BASE_URL: slow.baseURL };
      const argv = args(output, '--concurrency', '1', '--checkpoint-interval', '200ms');
      const run = spawnCli(argv, { env: slowEnv });
      await waitWhileRunning(run, () => existsSync(`${output}.checkpoint.json`) && existsSync(`${output}.partial`), 'the first checkpoint');
      rmSync(`${output}.partial`);
      const r = await run.result;
      expect(r.code, r.stderr).toBe(74);
      expectCleanError(r.stderr);
      const plain = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
      expect(plain).toHaveLength(1);
      expect(plain[0]).toMatch(new RegExp(`^sentiment-batch: the partial output ${output}\\.partial was removed or replaced while the run worked .*run the same command again: it starts over; the answers this run received are kept in ${output}\\.journal`));
      // Stopped within a checkpoint or two, not after sending every row (about 105 requests: the test input has duplicates and blanks).
      expect(((await (await fetch(`${slow.url}/__stats`)).json()) as { total: number }).total).toBeLessThan(80);
      const again = await runCli(args(output), { env: slowEnv });
      expect(again.code, again.stderr).toBe(0);
      expect(readFileSync(output).equals(job.reference)).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
