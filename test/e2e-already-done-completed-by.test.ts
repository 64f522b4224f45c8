import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

// An "already done" rerun replaced --summary-json with its own figures, so the report said `status already-done ·
// duration of its last run 0.4 s` and the run that scored the output was gone (newuser14). The rerun's summary now
// keeps that run's `finishedAt`, `elapsedSeconds` and `resumed` as `completedBy`, carried by the reruns after it too.
describe('an already-done rerun keeps the figures of the run that completed the output', () => {
  const { file, path: inDir } = useTempDir();

  it('in --summary-json, and the report says that run’s duration', async () => {
    const input = file('in.csv', syntheticCsv(40));
    const output = inDir('out.csv');
    const summaryPath = inDir('out.summary.json');
    const score = ['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--summary-json', summaryPath];
    expect((await runCli(score)).code).toBe(0);
    const first = JSON.parse(readFileSync(summaryPath, 'utf8')) as { finishedAt: string; elapsedSeconds: number; completedBy?: unknown };
    expect(first.completedBy).toBeUndefined();
    const expected = { finishedAt: first.finishedAt, elapsedSeconds: first.elapsedSeconds, resumed: false };
    for (let rerun = 0; rerun < 2; rerun++) {
      const again = await runCli(score);
      expect(again.code).toBe(0);
      const said = JSON.parse(readFileSync(summaryPath, 'utf8')) as { status: string; finishedAt: string; completedBy?: unknown };
      expect(said.status).toBe('already-done');
      expect(said.completedBy).toEqual(expected);
    }
    const report = await runCli(['report', output, '-o', inDir('report.html')]);
    expect(report.code, report.stderr).toBe(0);
    const page = readFileSync(inDir('report.html'), 'utf8').replace(/<[^>]+>/g, '');
    expect(page).toContain(`(the run that completed the output, finished ${first.finishedAt}; found already done again at`);
  });

  it('not from a summary of another output or of other counts', async () => {
    const input = file('other.csv', syntheticCsv(30));
    const output = inDir('other.scored.csv');
    const summaryPath = inDir('other.summary.json');
    const score = ['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--summary-json', summaryPath];
    expect((await runCli(score)).code).toBe(0);
    const first = JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(summaryPath, JSON.stringify({ ...first, output: inDir('elsewhere.csv') }));
    expect((await runCli(score)).code).toBe(0);
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { completedBy?: unknown }).completedBy).toBeUndefined();
  });
});
