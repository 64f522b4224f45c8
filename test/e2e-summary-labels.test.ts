import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * `--summary-json`'s top-level `labels`: the whole output's answers per label (every scored row it holds), for an
 * alert on "how many NEGATIVE in tonight's file", whichever run wrote them: a resumed run's, a mend's, an "already
 * done" rerun's. `run.labels` stay this run's. Compared with the label column of the output itself.
 */
const TOKEN = 'labels-Token-1234567890abcdef';
const ROWS = 120;

interface LabelsSummary {
  status: string;
  exitCode: number;
  resumed?: boolean;
  mended?: number;
  labels?: Record<string, number>;
  totals: Record<string, number>;
  run: { totals: Record<string, number>; labels: Record<string, number> };
}

describe('--summary-json labels: the whole output, across resumes and mends', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseURL });
  const args = (output: string, summary: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--log-level', 'warn', '--summary-json', summary];
  const read = (summary: string) => JSON.parse(readFileSync(summary, 'utf8')) as LabelsSummary;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '0-2ms', seed: 3, token: TOKEN });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** The output's scored rows per label, as its `sentiment_label` column holds them. */
  function outputLabels(output: string): Record<string, number> {
    const counts: Record<string, number> = { POSITIVE: 0, NEGATIVE: 0 };
    for (const row of parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>) {
      const label = row['sentiment_label'] ?? '';
      if (label !== '') counts[label] = (counts[label] ?? 0) + 1;
    }
    return counts;
  }

  it('a run paused by its budget, then resumed, then run again: each summary counts the whole output', async () => {
    server.setFaults({ seed: 3, latency: '0-2ms' });
    const output = path.join(dir, 'resumed.csv');
    const summary = path.join(dir, 'resumed.json');
    expect((await runCli([...args(output, summary), '--max-requests', '30'], { env: env() })).code).toBe(75);
    const paused = read(summary);
    // Paused: the rows written so far, as the checkpoint holds them.
    expect(paused.labels).toEqual({ POSITIVE: 0, NEGATIVE: 0, ...paused.run.labels });
    expect((paused.labels?.['POSITIVE'] ?? 0) + (paused.labels?.['NEGATIVE'] ?? 0)).toBe(paused.totals['scored']);

    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    const resumed = read(summary);
    expect(resumed).toMatchObject({ status: 'done', resumed: true });
    const whole = outputLabels(output);
    expect(whole['POSITIVE']).toBeGreaterThan(0);
    expect(whole['NEGATIVE']).toBeGreaterThan(0);
    expect(resumed.labels).toEqual(whole);
    // run.labels are still this run's alone: fewer than the output holds.
    const runScored = Object.values(resumed.run.labels).reduce((a, b) => a + b, 0);
    expect(runScored).toBe(resumed.run.totals['scored']);
    expect(runScored).toBeLessThan(resumed.totals['scored'] as number);

    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    const again = read(summary);
    expect(again.status).toBe('already-done');
    expect(again.labels).toEqual(whole);
    expect(again.run.labels).toEqual({});
  });

  it('a rerun that mends the rows an outage failed counts the mended rows with the rest', async () => {
    const output = path.join(dir, 'mended.csv');
    const summary = path.join(dir, 'mended.json');
    server.setFaults({ seed: 5, latency: '0-2ms', failRate: 0.3 });
    expect((await runCli([...args(output, summary), '--max-error-rate', '1'], { env: env() })).code).toBe(0);
    const outage = read(summary);
    expect(outage.totals['failed']).toBeGreaterThan(ROWS / 10);
    expect(outage.labels).toEqual(outputLabels(output));

    server.setFaults({ seed: 5, latency: '0-2ms' });
    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    const mended = read(summary);
    expect(mended.mended).toBeGreaterThan(0);
    expect(mended.labels).toEqual(outputLabels(output));
    expect(Object.values(mended.labels ?? {}).reduce((a, b) => a + b, 0)).toBe(mended.totals['scored']);
  });

  it('a resumed run that completes the output and mends the rows an outage stopped it on counts them all', async () => {
    const output = path.join(dir, 'resume-mend.csv');
    const summary = path.join(dir, 'resume-mend.json');
    server.setFaults({ seed: 7, latency: '0-2ms', failRate: 1 });
    expect((await runCli(args(output, summary), { env: env() })).code).toBe(5);
    expect(read(summary).labels).toEqual({ POSITIVE: 0, NEGATIVE: 0 });

    server.setFaults({ seed: 7, latency: '0-2ms' });
    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    const done = read(summary);
    expect(done).toMatchObject({ status: 'done', resumed: true });
    expect(done.mended).toBeGreaterThan(0);
    expect(done.labels).toEqual(outputLabels(output));
  });

  it('a job whose checkpoint predates the counts has no labels rather than a wrong count', async () => {
    server.setFaults({ seed: 3, latency: '0-2ms' });
    const output = path.join(dir, 'older.csv');
    const summary = path.join(dir, 'older.json');
    const checkpointPath = `${output}.checkpoint.json`;
    const withoutLabels = () => {
      const { labels: _labels, ...older } = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
      writeFileSync(checkpointPath, `${JSON.stringify(older, null, 2)}\n`);
    };
    expect((await runCli([...args(output, summary), '--max-requests', '30'], { env: env() })).code).toBe(75);
    withoutLabels();
    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    const resumed = read(summary);
    expect(resumed).toMatchObject({ status: 'done', resumed: true });
    expect(resumed.labels).toBeUndefined();
    expect(JSON.parse(readFileSync(checkpointPath, 'utf8'))).not.toHaveProperty('labels');
    // Its run.labels are still told.
    expect(Object.values(resumed.run.labels).reduce((a, b) => a + b, 0)).toBe(resumed.run.totals['scored']);

    expect((await runCli(args(output, summary), { env: env() })).code).toBe(0);
    expect(read(summary)).toMatchObject({ status: 'already-done' });
    expect(read(summary).labels).toBeUndefined();
  });
});
