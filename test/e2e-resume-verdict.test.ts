import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * A resumed run is judged over the whole job at its end (every row of every
 * run), not over the rows it wrote itself: a job an earlier run stopped for
 * its failed rows does not turn green because the rows left were fine.
 */
describe('the verdict on a resumed job (embedded model, built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('stopped by --max-errors, resumed: exit 5 for the job\'s share of unreadable rows; a rerun is judged by its own --max-errors', async () => {
    const input = path.join(dir, 'in.csv');
    // Two ragged rows, then one that is fine.
    writeFileSync(input, 'id,text\n1\n2,a,b,c\n3,fine\n');
    const output = path.join(dir, 'out.csv');
    const summary = path.join(dir, 'summary.json');
    const args = ['score', input, '-o', output, '--log-level', 'warn', '--summary-json', summary];
    const readSummary = () => JSON.parse(readFileSync(summary, 'utf8')) as Record<string, unknown>;

    const stopped = await runCli([...args, '--max-errors', '1']);
    expect(stopped.code).toBe(5);
    expect(stopped.stdout).toMatch(/^Stopped: .*out\.csv\.partial\n {2}rows 2: scored 0, skipped 0, failed 2\n/);
    expect(existsSync(`${output}.partial`)).toBe(true);

    // This run's one row was fine, but 2 of the job's 3 rows could not be read: over --max-error-rate 0.5.
    const resumed = await runCli(args);
    expect(resumed.code).toBe(5);
    expect(resumed.stdout).toContain('this run: rows 1: scored 1, skipped 0, failed 0');
    expect(resumed.stdout).toContain('2 of 3 rows read could not be read (ragged rows, rows joined by a stray quote, records over 16 MiB) in the whole job (limit --max-error-rate 0.5); the output is complete: see the sentiment_error column');
    expect(readSummary()).toMatchObject({ status: 'failed', exitCode: 5, resumed: true, outputComplete: true, totals: { read: 3, failed: 2 } });

    // The whole job failed 2 rows: more than --max-errors 1, though the raised rate would accept it.
    const again = await runCli([...args, '--max-errors', '1', '--max-error-rate', '1']);
    expect(again.code).toBe(5);
    expect(again.stdout).toMatch(/^Already done, but too many rows failed: /);
    expect(again.stdout).toContain('2 rows failed in the whole job, more than --max-errors 1; the output is complete: see the sentiment_error column');
    expect(readSummary()).toMatchObject({ status: 'failed', exitCode: 5, alreadyDone: true });
  }, 60_000);
});
