import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * A completed job whose export grew is continued once its output is copied to the partial output (grown-input.ts). A
 * fault there (a full disk, a folder at the partial output's path) left the checkpoint saying "completed", and the
 * line said what a completed job's rerun does: 'every row is written: it only completes the output, scoring nothing
 * again', of a run that had scored none of the rows appended. It says the rerun continues the job now.
 */
describe('a fault while a grown export is made a paused job', () => {
  const dir = useTempDir();

  it('says the rerun continues the completed job with the rows appended, not that every row is written', async () => {
    const input = dir.file('in.csv', syntheticCsv(40));
    const output = dir.path('out.csv');
    const score = () => runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded']);
    expect((await score()).code).toBe(0);
    writeFileSync(input, syntheticCsv(60));
    mkdirSync(`${output}.partial/x`, { recursive: true });
    const refused = await score();
    expectCleanError(refused.stderr);
    expect(refused.code).toBe(74);
    expect(refused.stderr).toMatch(/out\.csv\.partial is a folder/);
    expect(refused.stderr).not.toMatch(/every row is written/);
    expect(refused.stderr).toMatch(/it continues the completed job, scoring only the rows appended to the input/);
    rmSync(`${output}.partial`, { recursive: true });
    const rerun = await score();
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/Continuing:/);
  });

  it('a SIGTERM while the output is copied acts once the copy is done: exit 130, the output untouched, the next run continues', async () => {
    const input = dir.file('sig.csv', syntheticCsv(40));
    const output = dir.path('sig-out.csv');
    const score = (env?: Record<string, string>) => runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded'], env ? { env } : {});
    expect((await score()).code).toBe(0);
    const completed = readFileSync(output);
    writeFileSync(input, syntheticCsv(60));
    // The signal lands right before the copy is renamed onto the partial output (kill-at-rename.mjs waits 200 ms after
    // sending it, so its handler runs first). The copy is one copyFile and an fsync, not cut short: bounded by the
    // output's size (0.8-1.0 s from the signal to exit 130 for a 220 MB output at load average 9, 2026-12-05).
    const signalled = await score({
      NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`,
      SB_TEST_KILL_RENAME_TO: `${output}.partial`,
      SB_TEST_KILL_RENAME_WHEN: 'before',
      SB_TEST_KILL_RENAME_SIGNAL: 'SIGTERM',
      SB_TEST_KILL_RENAME_ONCE: '1',
    });
    expectCleanError(signalled.stderr);
    expect(signalled.code).toBe(130);
    expect(signalled.stdout).toMatch(/stopped by SIGTERM; the checkpoint is saved/);
    // Its line said "stopping: finishing requests in flight, then saving the checkpoint", with none in flight.
    expect(signalled.stderr).toMatch(/stopping once the completed job's output is copied to .*sig-out\.csv\.partial and the job made a paused one \(one copy and fsync, not cut short\): nothing has been sent, .*sig-out\.csv stays as it is, and the next run continues the job/);
    expect(signalled.stderr).not.toMatch(/requests in flight/);
    expect(readFileSync(output).equals(completed)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(true);
    expect((JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { completed: boolean }).completed).toBe(false);
    const fresh = dir.path('sig-fresh.csv');
    expect((await runCli(['score', dir.file('sig-fresh-in.csv', syntheticCsv(60)), '--text-column', 'review', '-o', fresh, '--backend', 'embedded'])).code).toBe(0);
    const rerun = await score();
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/resuming from the checkpoint/);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });
});
