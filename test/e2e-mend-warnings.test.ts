import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * A mend's summary ends with the warnings of the output's input, as the run that wrote it and its "already done"
 * rerun do: reviews in another language (and in a font generator's letters; summary-warning.ts). The rerun that
 * mended the rows an outage failed said none: between two summaries that warned, one that did not.
 */
const TOKEN = 'mend-warnings-Token-1234567890abcdef';
// 120 rows, one in four German: enough for a resumed run (an outage stops the first at its error limit, exit 5, before
// its output is complete), and 25 of the first 100 texts for the language check.
const ROWS = 120;
const textOf = (n: number) => (n % 4 === 0 ? `Sehr gut verarbeitet, schnelle Lieferung, Nummer ${n}.` : `good value, I liked it, review ${n}`);
const WARNING = "--text-column 'review' looks written in another language than English in 25 of the first 100 texts ('Sehr gut verarbeitet, schnelle Lieferung, Nummer 4.'): both models read English only";

interface WarnedSummary {
  status: string;
  exitCode: number;
  mended?: number;
  resumed?: boolean;
  warning?: string;
}

describe("a mend's summary repeats the input's warnings", () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseURL });
  const args = (output: string, summary: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--log-level', 'error', '--summary-json', summary];
  const read = (summary: string) => JSON.parse(readFileSync(summary, 'utf8')) as WarnedSummary;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '0-2ms', seed: 3, token: TOKEN });
    input = path.join(dir, 'de.csv');
    writeFileSync(input, `id,review\n${Array.from({ length: ROWS }, (_, n) => `${n + 1},"${textOf(n + 1)}"`).join('\n')}\n`);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a rerun mending the rows an outage failed', async () => {
    const output = path.join(dir, 'rerun.csv');
    const summary = path.join(dir, 'rerun.json');
    server.setFaults({ seed: 2, latency: '0-2ms', failRate: 0.4 });
    const first = await runCli([...args(output, summary), '--max-error-rate', '1'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(read(summary).warning).toContain(WARNING);
    expect(first.stdout).toContain(`  ${WARNING}`);

    server.setFaults({ seed: 2, latency: '0-2ms' });
    const mend = await runCli(args(output, summary), { env: env() });
    expect(mend.code, mend.stderr).toBe(0);
    const mended = read(summary);
    expect(mended.mended).toBeGreaterThan(0);
    expect(mended.warning).toContain(WARNING);
    expect(mend.stdout).toContain(`  ${WARNING}`);
  });

  it('a resumed run that completes the output and mends the rows an outage stopped it on', async () => {
    const output = path.join(dir, 'resumed.csv');
    const summary = path.join(dir, 'resumed.json');
    server.setFaults({ seed: 7, latency: '0-2ms', failRate: 1 });
    expect((await runCli(args(output, summary), { env: env() })).code).toBe(5);

    server.setFaults({ seed: 7, latency: '0-2ms' });
    const resumed = await runCli(args(output, summary), { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = read(summary);
    expect(done).toMatchObject({ status: 'done', resumed: true });
    expect(done.mended).toBeGreaterThan(0);
    expect(done.warning).toContain(WARNING);
    expect(resumed.stdout).toContain(`  ${WARNING}`);
  });

  // The rows not read as meant are said as the run's summary says them without a mend (completed-pass-summary.ts): a
  // JSONL text field renamed partway, found by the resumed run. Its mend's summary said only a field left out of most
  // of the first records (the start-up check's), so a rename the run found went unsaid when the run also mended.
  it('a resumed run that completes a JSONL output whose text field is renamed partway, and mends: the rename is said', async () => {
    const jsonl = path.join(dir, 'renamed.jsonl');
    const record = (n: number) => JSON.stringify(n <= 100 ? { id: n, review: `good value, I liked it, review ${n}` } : { id: n, body: `the later export's review number ${n}, quite long` });
    writeFileSync(jsonl, `${Array.from({ length: 300 }, (_, n) => record(n + 1)).join('\n')}\n`);
    const output = path.join(dir, 'renamed.out.jsonl');
    const summary = path.join(dir, 'renamed.json');
    const jsonlArgs = ['score', jsonl, '--text-field', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--log-level', 'error', '--summary-json', summary];
    server.setFaults({ seed: 7, latency: '0-2ms', failRate: 1 });
    expect((await runCli(jsonlArgs, { env: env() })).code).toBe(5);

    server.setFaults({ seed: 7, latency: '0-2ms' });
    const resumed = await runCli(jsonlArgs, { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = read(summary);
    expect(done).toMatchObject({ status: 'done', resumed: true });
    expect(done.mended).toBeGreaterThan(0);
    expect(done.warning).toMatch(/^--text-field 'review' is left out of 200 of the \d+ rows this run read, skipped as no text \(empty_text\); their field 'body' holds text/);
    expect(resumed.stdout).toContain(`  ${done.warning}`);
  });
});
