import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * How a run that completed with failed rows ends: over --max-error-rate it is
 * exit 5 however small the input (the windowed guard waits for 50 rows), and
 * rows left failed are always pointed out with what a rerun does about them.
 */
describe('the outcome of a run with failed rows (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456', CLOUDFLARE_BASE_URL: server.baseURL });
  const summaryOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), seed: 3 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('30 rows that all fail in an outage: exit 5 with a complete output; the same command mends them once the service is back', async () => {
    const input = path.join(dir, 'small.csv');
    writeFileSync(input, syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 15 }));
    const output = path.join(dir, 'small.out.csv');
    const summaryJson = path.join(dir, 'small.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--summary-json', summaryJson, '--log-level', 'warn'];

    server.setFaults({ seed: 3, failRate: 1 });
    const outage = await runCli(args, { env: env() });
    expect(outage.code).toBe(5);
    expect(outage.stdout).toMatch(/^Finished, but too many rows failed: .*small\.out\.csv\n/);
    expect(outage.stdout).toContain('rows 30: scored 0, skipped 2, failed 28');
    expect(outage.stdout).toContain('28 of 28 rows sent to the model failed in this run (limit --max-error-rate 0.5)');
    // The service answered (500): it was reachable.
    expect(outage.stdout).not.toContain('could not be reached');
    expect(outage.stdout.trimEnd().split('\n').at(-1)).toBe('  28 rows failed transiently: run the same command again to re-score just those rows');
    expect(summaryOf(summaryJson)).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, failedRows: { retry: 28, final: 0 } });
    expect(existsSync(output)).toBe(true);

    server.setFaults({ seed: 3 });
    const mended = await runCli(args, { env: env() });
    expect(mended.code).toBe(0);
    expect(mended.stdout).toContain('mended 28 rows that had failed transiently (0 rows still failed)');
    expect(summaryOf(summaryJson)).toMatchObject({ status: 'done', exitCode: 0, failedRows: { retry: 0, final: 0 } });
    expect(readFileSync(output, 'utf8')).not.toMatch(/http_500/);
  });

  it('a service that cannot be reached at all: exit 5, and the stop says the service could not be reached', async () => {
    // A port nothing listens on: every request is refused before it is sent.
    const gone = await startServer({ scorer: new TestScorer() });
    const baseURL = gone.baseURL;
    await gone.close();
    const input = path.join(dir, 'down.csv');
    writeFileSync(input, syntheticCsv(120, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, 'down.out.csv');
    const summaryJson = path.join(dir, 'down.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--log-level', 'warn', '--summary-json', summaryJson];
    const down = await runCli(args, { env: { ...env(), CLOUDFLARE_BASE_URL: baseURL } });
    expect(down.code).toBe(5);
    // Nothing left this machine: no request, token or neuron is counted as sent.
    expect(down.stdout).toMatch(/requests sent 0 \(answered 0 /);
    expect(down.stdout).toContain('sent with retries 0');
    expect(summaryOf(summaryJson)).toMatchObject({ totals: { requests: 0, tokens: 0, neurons: 0 } });
    const last = down.stdout.trimEnd().split('\n').at(-1) as string;
    expect(last).toMatch(/^ {2}the service could not be reached: the last \d+ rows sent failed without a connection \(Network error talking to http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED /);
    expect(last).toContain('check that it is up and the base URL, then run the same command again');
    expect(last).toMatch(/rows sent to the model failed \(limit --max-error-rate 0\.5\)/);
  });

  it('a mend that fails again is no success either', async () => {
    const input = path.join(dir, 'again.csv');
    writeFileSync(input, syntheticCsv(10, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'again.out.csv'), '--max-attempts', '1', '--log-level', 'warn'];
    server.setFaults({ seed: 3, failRate: 1 });
    try {
      expect((await runCli(args, { env: env() })).code).toBe(5);
      const again = await runCli(args, { env: env() });
      expect(again.code).toBe(5);
      expect(again.stdout).toContain('10 of 10 rows that had failed transiently failed again in this run');
    } finally {
      server.setFaults({ seed: 3 });
    }
  });

  it('--max-errors on JSON lines with --prefix mood: the message names the "error" inside the "mood" field, and one row in the singular', async () => {
    const input = path.join(dir, 'mood.jsonl');
    writeFileSync(input, Array.from({ length: 20 }, (_, i) => `{"id":${i},"text":"review ${i} of the mood test"}\n`).join(''));
    const output = path.join(dir, 'mood.out.jsonl');
    const args = ['score', input, '-o', output, '--prefix', 'mood', '--max-errors', '1', '--max-attempts', '1', '--concurrency', '1', '--log-level', 'warn'];
    server.setFaults({ seed: 3, failRate: 1 });
    try {
      const r = await runCli(args, { env: env() });
      expect(r.code).toBe(5);
      expect(r.stdout).toContain('more than 1 row failed (--max-errors); see the "error" inside the "mood" field of the partial output and the log');
      // The rows written say what kept failing, with one attempt in the singular.
      const first = JSON.parse(readFileSync(`${output}.partial`, 'utf8').split('\n')[0] as string) as { mood: { error: { message: string } } };
      expect(first.mood.error.message).toMatch(/\(gave up after 1 attempt\)$/);
    } finally {
      server.setFaults({ seed: 3 });
    }
  });

  it('a CSV read as JSON lines is refused at startup (exit 3), not "Done" with a failure per row', async () => {
    const input = path.join(dir, 'reviews.csv');
    writeFileSync(input, syntheticCsv(33, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, 'rj.jsonl');
    const r = await runCli(['score', input, '--format', 'jsonl', '-o', output, '--backend', 'embedded', '--log-level', 'warn']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('none of the first 34 non-blank lines is a JSON object, so this is not JSON Lines: give the format with --format csv');
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it.each([
    ['a pretty-printed JSON array', '[\n  {"text": "great"},\n  {"text": "awful"}\n]\n', "the first line is '[' alone: this is one JSON document (an array, or pretty-printed), not JSON Lines; write one object per line, e.g. jq -c '.[]' in.json > in.jsonl"],
    ['a one-line JSON array (named in the singular)', '[{"text":"a"},{"text":"b"}]\n', "the first non-blank line is not a JSON object, so this is not JSON Lines: it looks like a JSON array: write one object per line, e.g. jq -c '.[]' in.json > in.jsonl"],
  ])('%s saved as .jsonl is refused at startup with the way to convert it', async (_what, content, message) => {
    const input = path.join(dir, 'array.jsonl');
    writeFileSync(input, content);
    const r = await runCli(['score', input, '-o', path.join(dir, 'array.out.jsonl'), '--backend', 'embedded']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
  });

  it('failures under the rate: exit 0, and the last line says how many failed and that a rerun retries just those', async () => {
    const input = path.join(dir, 'mostly.csv');
    writeFileSync(input, syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % 8 === 3 ? ' OUTAGE' : '') }));
    const summaryJson = path.join(dir, 'mostly.json');
    server.setFaults({ seed: 3, rules: [{ textIncludes: 'OUTAGE', respond: { status: 500, code: 3043 } }] });
    try {
      const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'mostly.out.csv'), '--max-attempts', '1', '--summary-json', summaryJson, '--log-level', 'warn'], { env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Done: /);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('  5 rows failed transiently: run the same command again to re-score just those rows');
      expect(summaryOf(summaryJson)).toMatchObject({ status: 'done', exitCode: 0, failedRows: { retry: 5, final: 0 } });
    } finally {
      server.setFaults({ seed: 3 });
    }
  });
});
