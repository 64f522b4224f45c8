import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * `--resume require` on a job whose checkpoint is marked complete: the same
 * input is "already done" (exit 0), but anything that would score afresh (a
 * new export at the input's path, the output removed) is refused like every
 * other start-over under `require`: exit 3, one line saying what to do, and
 * the finished output left as it was. Without `require` those runs score afresh.
 * Uses the embedded model: no server, no credentials.
 */
describe('--resume require on a completed job', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  const args = (output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, ...extra];

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
  });
  afterAll(() => cleanup());

  /** Scores the first export to `name` completely; returns the output path and its bytes. */
  const completedJob = async (name: string): Promise<{ output: string; finished: Buffer }> => {
    writeFileSync(input, syntheticCsv(60));
    const output = path.join(dir, name);
    const first = await runCli(args(output));
    expect(first.code).toBe(0);
    return { output, finished: readFileSync(output) };
  };
  // Its first row edited: a new export, not the old one with rows appended (which continues the job: e2e-grown-input).
  const newExport = () => writeFileSync(input, syntheticCsv(80, { marker: (i) => (i === 0 ? ' edited' : '') }));

  it('the same input is already done (exit 0)', async () => {
    const { output, finished } = await completedJob('same.csv');
    const again = await runCli(args(output, '--resume', 'require'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already done/);
    expect(readFileSync(output).equals(finished)).toBe(true);
  });

  it('a changed input is refused with exit 3 and one line; the finished output is untouched', async () => {
    const { output, finished } = await completedJob('changed.csv');
    newExport();
    const refused = await runCli(args(output, '--resume', 'require', '--log-format', 'pretty'));
    expect(refused.code).toBe(3);
    expect(refused.stdout).not.toMatch(/Done/);
    const errorLines = refused.stderr.split('\n').filter((line) => /--resume require/.test(line));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/cannot resume, the input changed since the checkpoint of the completed job/);
    // The way out it names works (--restart would be refused next to --resume require).
    expect(errorLines[0]).toMatch(/To start over, run with --resume auto instead/);
    expect(errorLines[0]).not.toMatch(/--restart/);
    expect(errorLines[0]).toMatch(/; to keep .*changed\.csv, give the new input another -o$/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // From a job file: what keeps the output is the file's "output" (a -o would keep it for one run only).
    const job = path.join(dir, 'changed-job.json');
    writeFileSync(job, JSON.stringify({ input, output, textColumn: 'review', resume: 'require' }));
    const fromJob = await runCli(['run', job]);
    expect(fromJob.code).toBe(3);
    expect(fromJob.stderr).toMatch(/; to keep .*changed\.csv, give the new input another "output" in the job file\n$/);
    expect(readFileSync(output).equals(finished)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);

    // The refusal changes nothing: without require the new export is scored afresh.
    const plain = await runCli(args(output));
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/scoring it afresh/);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).toHaveLength(81);
  });

  it('another input file scored to the same -o (the next dated export) is named as such, not as a change', async () => {
    const { output } = await completedJob('dated.csv');
    const next = path.join(dir, 'in-2.csv');
    // Other rows than yesterday's (yesterday's with rows appended would continue the job, whatever its name: e2e-grown-input).
    writeFileSync(next, syntheticCsv(70, { marker: () => ' v2' }));
    const nextArgs = ['score', next, '--text-column', 'review', '-o', output, '--log-format', 'pretty'];
    const refused = await runCli([...nextArgs, '--resume', 'require']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/--resume require: cannot resume, the checkpoint of the completed job is of another input file, in\.csv \(this run reads in-2\.csv\)/);
    const plain = await runCli(nextArgs);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/the checkpoint of the completed job is of another input file, in\.csv \(this run reads in-2\.csv\): scoring it afresh/);
  });

  it('a completed job whose output was removed is refused with exit 3', async () => {
    const { output } = await completedJob('removed.csv');
    rmSync(output);
    const refused = await runCli(args(output, '--resume', 'require'));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/--resume require: cannot resume, the checkpoint says the job was completed, but neither its output .* nor its partial output is there/);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });
});
