import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * A completed job whose export grew is continued from its output (grown-input.ts). The proof of that output checked
 * its length and its last row only, so an output changed after completion at the same length (a label edited by hand,
 * a score's digit, another file of that length put there) was carried into the continued output: exit 0, and not a
 * fresh run's bytes of the new file. Before the continuation existed the grown file was scored afresh, those edits
 * gone. The completed checkpoint records the output's sha256 now; an output that is not those bytes is scored afresh.
 */
describe('a grown export whose completed output was changed at the same length is scored afresh', () => {
  const dir = useTempDir();
  const score = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded']);

  async function completedThenGrown(edit: (bytes: Buffer) => Buffer) {
    const input = dir.file('in.csv', syntheticCsv(60));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    const before = readFileSync(output);
    const edited = edit(before);
    expect(edited.length).toBe(before.length);
    expect(edited.equals(before)).toBe(false);
    writeFileSync(output, edited);
    writeFileSync(input, syntheticCsv(90));
    const fresh = dir.path('fresh.csv');
    expect((await score(dir.file('fresh-in.csv', syntheticCsv(90)), fresh)).code).toBe(0);
    return { input, output, fresh: readFileSync(fresh) };
  }

  it.each([
    ['a row relabelled by hand', (b: Buffer) => Buffer.from(b.toString('utf8').replace(',POSITIVE,', ',NEGATIVE,'))],
    ['a score digit changed', (b: Buffer) => Buffer.from(b.toString('utf8').replace(/(\n[^\n]*,(?:POSITIVE|NEGATIVE),0\.)(\d)/, (_m, head: string, d: string) => `${head}${d === '1' ? '2' : '1'}`))],
  ])('%s: not continued, the output is a fresh run of the grown file', async (_what, edit) => {
    const { input, output, fresh } = await completedThenGrown(edit);
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/Continuing:/);
    expect(rerun.stderr).toMatch(/cannot be continued: the checkpoint does not match the files: \S*out\.csv is not the output the completed job wrote/);
    expect(readFileSync(output).equals(fresh)).toBe(true);
  });

  // Edited to another length and the export grown: "the input changed since the checkpoint of the completed job" followed
  // the line saying why it could not be continued, though the input had only grown. One line says what is so.
  it('a row deleted by hand (another length), the export grown: one line, the output not the job\'s, every row scored again', async () => {
    const input = dir.file('in.csv', syntheticCsv(60));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    writeFileSync(output, readFileSync(output, 'utf8').replace(/\n[^\n]*\n/, '\n'));
    writeFileSync(input, syntheticCsv(90));
    const fresh = dir.path('fresh.csv');
    expect((await score(dir.file('fresh-in.csv', syntheticCsv(90)), fresh)).code).toBe(0);
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/the input changed/);
    expect(rerun.stderr).toMatch(
      /the input goes on after the \d+ bytes the completed job read, but the job cannot be continued: the checkpoint does not match the files: \S*out\.csv holds \d+ bytes, not the \d+ the completed job wrote: it is not the job's output \(edited or replaced since\): starting over; every row is scored again/,
    );
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });

  // Without a digest: a checkpoint of a release before it was recorded, or one this release wrote when it could not read
  // the output as the job completed (job-checkpoint.ts); the line named only the first.
  it('a completed checkpoint without the digest (written before it was recorded) is scored afresh', async () => {
    const { input, output, fresh } = await completedThenGrown((b) => Buffer.from(b.toString('utf8').replace(',POSITIVE,', ',NEGATIVE,')));
    const checkpointPath = `${output}.checkpoint.json`;
    const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    delete checkpoint.outputSha256;
    writeFileSync(checkpointPath, JSON.stringify(checkpoint));
    const rerun = await score(input, output);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/Continuing:/);
    expect(rerun.stderr).toContain(
      'it records no digest of the output (a checkpoint of an older version, or one written when the output could not be read as the job completed): its rows cannot be shown to be the ones the job wrote',
    );
    expect(readFileSync(output).equals(fresh)).toBe(true);
  });
});

/**
 * A grown export not continued for a reason of its own (a mend its checkpoint records half done, settings edited by hand
 * in the checkpoint, its output gone): the start-over line said "the input changed since the checkpoint of the completed
 * job", untrue of an input that only grew, and named nothing of the reason. It names the reason now.
 */
describe('a grown export not continued says why, not "the input changed"', () => {
  const dir = useTempDir();
  const score = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded']);

  it.each([
    // A mend half done that the files bear out is finished, then the export continued (e2e-grown-mend-kill.test.ts); one
    // whose mended copy is not there (of a length the output is not) cannot be finished.
    [
      'a mend recorded half done in its checkpoint, its mended copy gone',
      (output: string) => editCheckpoint(output, (c) => ({ ...c, mending: { outputBytes: readFileSync(output).length + 5, listedFailures: 0 } })),
      /the input goes on after the \d+ bytes the completed job read, but the job cannot be continued: its checkpoint records a mend of \S*out\.csv not finished \(the run mending it was stopped while its mended copy replaced it\), and the files do not bear it out: it records a mend replacing \S*out\.csv with its mended copy \S*out\.csv\.partial of \d+ bytes, but that copy is gone: starting over; every row is scored again/,
    ],
    [
      'settings edited by hand in its checkpoint',
      (output: string) => editCheckpoint(output, (c) => ({ ...c, settings: { ...(c['settings'] as object), limit: 1000 } })),
      /the input goes on after the \d+ bytes the completed job read, but the job cannot be continued: the checkpoint \S*out\.csv\.checkpoint\.json is unusable: its settings are not the ones its settingsHash was made from \(edited by hand\): starting over; every row is scored again/,
    ],
    [
      'its output removed',
      (output: string) => rmSync(output),
      /the input goes on after the \d+ bytes the completed job read, but the job cannot be continued: neither its output \S*out\.csv nor its partial output is there: scoring it afresh/,
    ],
  ])('%s', async (_what, change, line) => {
    const input = dir.file('in.csv', syntheticCsv(60));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    change(output);
    writeFileSync(input, syntheticCsv(90));
    const fresh = dir.path('fresh.csv');
    expect((await score(dir.file('fresh-in.csv', syntheticCsv(90)), fresh)).code).toBe(0);
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/the input changed/);
    expect(rerun.stderr).not.toMatch(/Continuing:/);
    expect(rerun.stderr).toMatch(line);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });
});

function editCheckpoint(output: string, edit: (checkpoint: Record<string, unknown>) => Record<string, unknown>): void {
  const file = `${output}.checkpoint.json`;
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
}
