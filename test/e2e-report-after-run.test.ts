import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { syntheticCsv } from './support/reviews.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * `score --report` reads the output in the format the run wrote it in, not in
 * the one the output's name suggests: `-o out` (no extension, or `.txt`) was
 * scored whole, then the report stopped with exit 2 ("cannot tell the format
 * of 'out' from its extension ... name the format with --format"), and so did
 * every rerun ("Already done", then exit 2), the report never written.
 */
describe('score --report with an output name that names no format', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir('sb-report-noext-'));
  });
  afterAll(() => cleanup());

  it.each([
    ['in.csv', 'out', syntheticCsv(40), 'review'],
    ['in.tsv', 'out.txt', syntheticCsv(40).replaceAll(',', '\t'), 'review'],
    ['in.jsonl', 'out.data', '{"text":"great product"}\n{"text":"awful, broke at once"}\n', 'text'],
  ])('%s -o %s --report r.html: exit 0 and the report written, also by a rerun', async (inputName, outputName, content, column) => {
    const input = path.join(dir, inputName);
    const output = path.join(dir, outputName);
    const report = path.join(dir, `${outputName}.report.json`);
    writeFileSync(input, content);
    const flag = inputName.endsWith('.jsonl') ? '--text-field' : '--text-column';
    const args = ['score', input, flag, column, '-o', output, '--report', report];
    const first = await runCli(args);
    expect(first.stderr).not.toContain('cannot tell the format');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Report: ${report}`);
    const figures = JSON.parse(readFileSync(report, 'utf8')) as { totals: { rows: number } };
    expect(figures.totals.rows).toBe(inputName.endsWith('.jsonl') ? 2 : 40);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done/);
    expect(again.stdout).toContain(`Report: ${report}`);
  }, 60_000);
});

/**
 * A run that ends paused (75) or failed with its figures (5) writes no report, and its --summary-json said nothing of
 * the report: a scheduler that publishes the page each night took last night's page, still at that path, for
 * tonight's. The summary now says `report: {path, written: false}`, as a stop after the output does.
 */
describe('score --report on a run that does not end done', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer | undefined;
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-unfinished-')));
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('exit 5 and exit 75: no report written, and the summary says report.written false', async () => {
    server = await startServer({ scorer: new TestScorer(), failRate: 1, seed: 2 });
    const env = workersAiEnv(server, { token: 'report-Token-1234567890abcdef' });
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 0 }));
    const summaryJson = path.join(dir, 'summary.json');
    const report = path.join(dir, 'report.html');
    const args = (output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', path.join(dir, output), '--max-attempts', '1', '--rpm', '100000', '--summary-json', summaryJson, '--report', report, ...more];
    const failed = await runCli(args('failed.csv'), { env });
    expect(failed.code, failed.stderr).toBe(5);
    expect(existsSync(report)).toBe(false);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, report: { path: report, written: false } });
    server.setFaults({ seed: 2 });
    const paused = await runCli(args('paused.csv', '--max-requests', '5'), { env });
    expect(paused.code, paused.stderr).toBe(75);
    expect(existsSync(report)).toBe(false);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'paused', exitCode: 75, report: { path: report, written: false } });
  });

  it('exit 3 on a bad byte past the rows scored, and on a missing input: the summary says report.written false too', async () => {
    const input = path.join(dir, 'late-bad-byte.csv');
    // A byte that is not UTF-8 past the first 64 KiB: the embedded model has scored rows before the reader meets it.
    writeFileSync(input, Buffer.concat([Buffer.from(syntheticCsv(3000, { duplicateEvery: 0, emptyEvery: 0 })), Buffer.from([0xff]), Buffer.from('\n')]));
    const summaryJson = path.join(dir, 'bad-byte.summary.json');
    const report = path.join(dir, 'bad-byte.html');
    const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'bad-byte.csv'), '--summary-json', summaryJson, '--report', report, '--backend', 'embedded']);
    expect(run.code, run.stderr).toBe(3);
    expect(existsSync(report)).toBe(false);
    const written = JSON.parse(readFileSync(summaryJson, 'utf8')) as { totals?: { read: number } };
    expect(written).toMatchObject({ status: 'failed', exitCode: 3, report: { path: report, written: false } });
    expect(written.totals?.read, 'the run had scored rows before the bad byte').toBeGreaterThan(0);
    const missing = await runCli(['score', path.join(dir, 'missing.csv'), '--text-column', 'review', '--summary-json', summaryJson, '--report', report, '--backend', 'embedded']);
    expect(missing.code).toBe(3);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 3, report: { path: report, written: false } });
  });
});
