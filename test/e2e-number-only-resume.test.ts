import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * The summary's top-level `numberOnly` (the whole output's texts only a number, `run.numberOnly`: this run's), carried
 * by the checkpoint across a run paused by its budget and resumed, and across a rerun mending rows that had failed: an
 * "already done" rerun after either says what the output holds.
 */
const TOKEN = 'number-only-Token-1234567890abcdef';
const ROWS = 60;

interface NumberOnlySummary {
  status: string;
  resumed?: boolean;
  mended?: number;
  numberOnly?: { rows: number; firstRow: number };
  run: { numberOnly?: { rows: number; firstRow: number } };
}

describe('texts only a number, across resumes and mends', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseURL });
  const args = (output: string, summary: string) => ['score', input, '-o', output, '--rpm', '100000', '--max-attempts', '1', '--concurrency', '1', '--log-level', 'warn', '--summary-json', summary];
  const read = (summary: string) => JSON.parse(readFileSync(summary, 'utf8')) as NumberOnlySummary;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '0-2ms', seed: 3, token: TOKEN });
    input = path.join(dir, 'in.csv');
    // Rows 5 and 50 (1-based data rows) are only a number; the rest are words.
    const rows = Array.from({ length: ROWS }, (_, n) => `${n + 1},${n + 1 === 5 ? '3' : n + 1 === 50 ? '4.5' : `"good value, review number ${n + 1}"`}`);
    writeFileSync(input, `id,text\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('paused after row 5, resumed past row 50: the resumed run and the rerun count both', async () => {
    server.setFaults({ seed: 3, latency: '0-2ms' });
    const output = path.join(dir, 'resumed.csv');
    const summary = path.join(dir, 'resumed.json');
    expect((await runCli([...args(output, summary), '--max-requests', '20'], { env: env() })).code).toBe(75);
    expect(read(summary).numberOnly).toEqual({ rows: 1, firstRow: 5 });

    const resumed = await runCli(args(output, summary), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(read(summary)).toMatchObject({ status: 'done', resumed: true, numberOnly: { rows: 2, firstRow: 5 }, run: { numberOnly: { rows: 1, firstRow: 50 } } });
    expect(resumed.stdout).toContain('  1 text is only a number (row 50): its score says nothing of sentiment\n');
    expect(resumed.stdout).toContain('  whole job: 2 texts are only a number (the first: row 5): their scores say nothing of sentiment\n');

    const again = await runCli(args(output, summary), { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(read(summary)).toMatchObject({ status: 'already-done', numberOnly: { rows: 2, firstRow: 5 } });
    expect(again.stdout).toContain('  2 texts are only a number (the first: row 5): their scores say nothing of sentiment\n');
  });

  it('every row failed, then mended by a rerun: the mended rows are counted, and said again after', async () => {
    const output = path.join(dir, 'mended.csv');
    const summary = path.join(dir, 'mended.json');
    server.setFaults({ seed: 5, latency: '0-2ms', failRate: 1 });
    // Every row failed: exit 5, its output complete all the same.
    expect((await runCli([...args(output, summary), '--max-error-rate', '1'], { env: env() })).code).toBe(5);
    expect(read(summary)).not.toHaveProperty('numberOnly');
    expect(JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8'))).toMatchObject({ completed: true, numberOnly: { rows: 0, firstRow: 0 } });

    server.setFaults({ seed: 5, latency: '0-2ms' });
    const mend = await runCli(args(output, summary), { env: env() });
    expect(mend.code, mend.stderr).toBe(0);
    const mended = read(summary);
    expect(mended.mended).toBe(ROWS);
    expect(mended.numberOnly).toEqual({ rows: 2, firstRow: 5 });

    const again = await runCli(args(output, summary), { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(read(summary)).toMatchObject({ status: 'already-done', numberOnly: { rows: 2, firstRow: 5 } });
  });

  // An outage stops the first run at its error limit (exit 5) with row 5 written failed; the resumed run completes the
  // output (row 50 its own) and mends row 5 with the rest: the checkpoint counts both, as does this run.
  it('a resumed run that completes the output and mends the rows an outage stopped it on counts the mended ones', async () => {
    const output = path.join(dir, 'resume-mend.csv');
    const summary = path.join(dir, 'resume-mend.json');
    server.setFaults({ seed: 7, latency: '0-2ms', failRate: 1 });
    expect((await runCli([...args(output, summary), '--max-errors', '10'], { env: env() })).code).toBe(5);
    expect(read(summary)).not.toHaveProperty('numberOnly');

    server.setFaults({ seed: 7, latency: '0-2ms' });
    const resumed = await runCli(args(output, summary), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = read(summary);
    expect(done).toMatchObject({ status: 'done', resumed: true, numberOnly: { rows: 2, firstRow: 5 }, run: { numberOnly: { rows: 2, firstRow: 5 } } });
    expect(done.mended).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')).numberOnly).toEqual({ rows: 2, firstRow: 5 });

    const again = await runCli(args(output, summary), { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(read(summary)).toMatchObject({ status: 'already-done', numberOnly: { rows: 2, firstRow: 5 } });
  });
});
