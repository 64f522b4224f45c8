import { appendFileSync, chmodSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const REVIEWS = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';
const modeOf = (file: string) => statSync(file).mode & 0o777;

/**
 * A file the job replaces keeps the permissions its user gave it: the output, the report and --summary-json were
 * renamed over by a new copy made 0644, so a nightly run that re-scored a changed export left an output, a report and
 * a summary that had been made 0600 or 0640 (customers' words) readable by every user of the machine.
 */
describe('the permissions of a replaced output, report and summary', () => {
  const { file, path: inDir } = useTempDir();

  it('score: an output 0600, a report 0640 and a summary 0600 keep their modes when a changed input replaces them', async () => {
    const input = file('in.csv', REVIEWS);
    const [output, report, summary] = [inDir('out.csv'), inDir('out.html'), inDir('summary.json')];
    const args = ['score', input, '--text-column', 'review', '-o', output, '--report', report, '--summary-json', summary];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect([modeOf(output), modeOf(report), modeOf(summary)]).toEqual([0o644, 0o644, 0o644]);
    chmodSync(output, 0o600);
    chmodSync(report, 0o640);
    chmodSync(summary, 0o600);
    appendFileSync(input, '3,lovely screen\n');
    const second = await runCli(args);
    expectCleanError(second.stderr);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/rows 3: scored 3/);
    expect([modeOf(output), modeOf(report), modeOf(summary)]).toEqual([0o600, 0o640, 0o600]);
  });

  it('report: a report made 0640 stays 0640 when it is written again', async () => {
    const input = file('in.csv', REVIEWS);
    const output = inDir('out.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', output])).code).toBe(0);
    const report = inDir('out.report.html');
    expect((await runCli(['report', output, '-o', report])).code).toBe(0);
    chmodSync(report, 0o640);
    const again = await runCli(['report', output, '-o', report]);
    expect(again.code).toBe(0);
    expect(modeOf(report)).toBe(0o640);
  });
});
