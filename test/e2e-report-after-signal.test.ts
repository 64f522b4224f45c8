import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * `score --report`: once the output is complete the report has nothing to
 * save, so a signal ends the command at once with 130 (as the `report`
 * command does) and --summary-json says the output is complete and the report
 * was not written.
 */
describe('score --report stopped by a signal after the output is complete', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir('sb-report-stop-'));
    input = path.join(dir, 'in.csv');
    // Enough rows that the report (its pass, then loading vega) is still under way when "Done:" has been printed.
    writeFileSync(input, syntheticCsv(10_000));
  });
  afterAll(() => cleanup());

  it('SIGTERM as "Done:" is printed: exit 130, no report, no temp file, the summary says so; the same command then writes the report', async () => {
    const output = path.join(dir, 'out.csv');
    const report = path.join(dir, 'r.html');
    const summaryJson = path.join(dir, 's.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--report', report, '--report-rating', 'stars', '--summary-json', summaryJson];
    const child = spawnCli(args);
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Done:')) child.kill('SIGTERM');
    });
    const stopped = await child.result;
    expect(stopped.stdout).toMatch(/^Done: /);
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).not.toMatch(/Report:/);
    expect(stopped.stderr).toContain(`sentiment-batch: stopped by SIGTERM before the report was written: the output ${output} is complete; ${report} was not written`);
    expect(existsSync(report)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'interrupted', exitCode: 130, outputComplete: true, report: { path: report, written: false } });
    expect((summary.totals as { read: number }).read).toBe(10_000);
    // The output is complete: the next run scores nothing and writes only the report.
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done/);
    expect(again.stdout).toContain(`Report: ${report}`);
    expect(existsSync(report)).toBe(true);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'already-done', exitCode: 0, report: { path: report, written: true } });
  }, 180_000); // past 60 s at load average ~24 (a bound against a hang only)
});
