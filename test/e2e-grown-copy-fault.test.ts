import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
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
});
