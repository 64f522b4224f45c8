import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * A completed job's output edited by hand at the same length (a label changed) passed the proof of "already done",
 * which checks the output's length and the input's end only: the rerun said `already done`, exit 0, with an output that
 * is not the job's result. The completed checkpoint records the output's sha256 (`outputSha256`, used before for a grown
 * export: e2e-grown-edited-output.test.ts); an output that is not those bytes is scored afresh, as a grown one is.
 */
describe('a completed output edited by hand is not "already done"', () => {
  const dir = useTempDir();
  const score = (input: string, output: string, ...extra: string[]) => runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded', ...extra]);
  const relabel = (b: Buffer) => Buffer.from(b.toString('utf8').replace(',POSITIVE,', ',NEGATIVE,'));

  async function completedThenEdited() {
    const input = dir.file('in.csv', syntheticCsv(60));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    const original = readFileSync(output);
    const edited = relabel(original);
    expect(edited.length).toBe(original.length);
    expect(edited.equals(original)).toBe(false);
    writeFileSync(output, edited);
    return { input, output, original };
  }

  it('a row relabelled at the same length: scored afresh with a line saying why, the output the job\'s again', async () => {
    const { input, output, original } = await completedThenEdited();
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/already done/i);
    expect(rerun.stderr).toMatch(/does not match the files: \S*out\.csv is not the output the completed job wrote \(its sha256 differs/);
    expect(readFileSync(output).equals(original)).toBe(true);
    // The output is the job's again: the next rerun is "already done".
    const again = await score(input, output);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already done/i);
  });

  // Edited to another length (a row deleted): the line said only "holds N bytes, the checkpoint recorded exactly M:
  // starting over", nothing of the output being another than the job's, nor of every row being scored again.
  it('a row deleted by hand (another length): the line says the output is not the job\'s and every row is scored again', async () => {
    const input = dir.file('in.csv', syntheticCsv(60));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    const original = readFileSync(output);
    writeFileSync(output, original.toString('utf8').replace(/\n[^\n]*\n/, '\n'));
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(
      /does not match the files: \S*out\.csv holds \d+ bytes, not the \d+ the completed job wrote: it is not the job's output \(edited or replaced since\): starting over; every row is scored again"/,
    );
    expect(readFileSync(output).equals(original)).toBe(true);
  });

  it('--resume require refuses it (exit 3) and leaves the edited output as it is', async () => {
    const { input, output } = await completedThenEdited();
    const edited = readFileSync(output);
    const rerun = await score(input, output, '--resume', 'require');
    expect(rerun.code).toBe(3);
    expect(rerun.stderr).toMatch(/cannot resume, the checkpoint \S* does not match the files: \S*out\.csv is not the output the completed job wrote/);
    expect(readFileSync(output).equals(edited)).toBe(true);
  });

  it('a completed checkpoint without the digest (an older release) is "already done" as before', async () => {
    const { input, output } = await completedThenEdited();
    const checkpointPath = `${output}.checkpoint.json`;
    const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    delete checkpoint.outputSha256;
    writeFileSync(checkpointPath, JSON.stringify(checkpoint));
    const edited = readFileSync(output);
    const rerun = await score(input, output);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/already done/i);
    expect(readFileSync(output).equals(edited)).toBe(true);
  });
});
