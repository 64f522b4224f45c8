import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Totals } from '../src/state/totals.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer, testScores } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'sekrit-Token-1234567890abcdef';

describe('score with Workers AI (against the project server)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  /** Far above what these tests send, so the limiter does not set their pace. */
  const fast = ['--rpm', '100000'];
  const env = () => workersAiEnv(server, { account: 'acct123', token: TOKEN });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, latency: '1-5ms' });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it('writes the service answers at full precision and sends each distinct text once', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(300));
    const output = path.join(dir, 'out.csv');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast, '--summary-json', path.join(dir, 's.json')], { env: env() });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);

    const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(300);
    const distinct = new Set<string>();
    rows.forEach((row, i) => {
      expect(row.id).toBe(String(i));
      if (row.review === '') {
        expect(row.sentiment_error).toMatch(/^empty_text/);
        return;
      }
      distinct.add(row.review as string);
      const expected = testScores(row.review as string);
      expect(row.sentiment_label).toBe(expected.label);
      expect(row.sentiment_positive).toBe(String(expected.positive));
      expect(row.sentiment_negative).toBe(String(expected.negative));
      expect(row.sentiment_error).toBe('');
    });
    const stats = server.stats();
    expect(stats.total).toBe(distinct.size);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { totals: Totals };
    expect(summary.totals.requests).toBe(distinct.size);
    expect(summary.totals.duplicates).toBe(rows.filter((r) => r.review !== '').length - distinct.size);
    expect(summary.totals.read).toBe(summary.totals.scored + summary.totals.skipped + summary.totals.failed);
  });

  it('retries 429 (with Retry-After), 3040 bursts, 500s, dropped connections and malformed answers', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0 }));
    // The two bad answers (not JSON, cut short) first: they go to the first attempts of rows 0 and 1, sent together at
    // the start. Last in the queue, both could go to one row's attempt and its retry, and a row is retried once after a
    // bad answer (bad_answer, failed): how the requests before them fell out decided it (a CI run at 119fdabf).
    server.enqueue([
      { malformed: true },
      { truncate: true },
      { status: 429, code: 3021, retryAfter: 1 },
      { status: 429, code: 3040 },
      { status: 429, code: 3040 },
      { status: 500 },
      { drop: true },
    ]);
    const output = path.join(dir, 'out.csv');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--concurrency', '4', '--log-level', 'trace', '--summary-json', path.join(dir, 's.json'), ...fast], { env: env() });
    expect(result.code).toBe(0);
    // Logged at the most verbose level, through every failure kind: the token is nowhere.
    expect(result.stderr).toMatch(/retrying/);
    for (const text of [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))]) {
      expect(text).not.toContain(TOKEN);
    }
    const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    expect(rows.every((r) => r.sentiment_error === '' && r.sentiment_label !== '')).toBe(true);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { totals: Totals };
    expect(summary.totals.retries).toBe(7);
    expect(summary.totals.rateLimited).toBe(3);
    expect(server.stats().total).toBe(47);
  });

  it('writes a per-row error for a 400 and goes on', async () => {
    server.setFaults({ latency: '1-5ms', rules: [{ textIncludes: 'BADROW', respond: { status: 400, code: 5006 } }] });
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % 10 === 3 ? ' BADROW' : '') }));
    const output = path.join(dir, 'out.csv');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast], { env: env() });
    expect(result.code).toBe(0);
    const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    const failed = rows.filter((r) => r.sentiment_error !== '');
    expect(failed.map((r) => r.id)).toEqual(['3', '13', '23']);
    for (const row of failed) {
      expect(row.sentiment_error).toMatch(/^bad_input: /);
      expect(row.sentiment_label).toBe('');
    }
    expect(result.stdout).toMatch(/scored 27, skipped 0, failed 3/);
    expect(server.stats().total).toBe(30);
  });

  it('stops at once on a rejected token, says what to fix, and never shows the token', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(500));
    const output = path.join(dir, 'out.csv');
    const wrong = 'wrong-Token-abcdef0123456789';
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--log-level', 'trace'], {
      env: { ...env(), CLOUDFLARE_API_TOKEN: wrong },
    });
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toMatch(/CLOUDFLARE_API_TOKEN/);
    expect(server.stats().total).toBeLessThanOrEqual(50);
    expect(existsSync(output)).toBe(false);
    for (const text of [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('a rejected token or a refused account names where they came from: the token file, the job file', async () => {
    // Containers and Kubernetes pass the token as CLOUDFLARE_API_TOKEN_FILE (jobs/): "check CLOUDFLARE_API_TOKEN"
    // sent the operator to a variable the job does not read.
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20));
    const tokenFile = path.join(dir, 'api-token');
    writeFileSync(tokenFile, 'wrong-Token-abcdef0123456789\n');
    const { CLOUDFLARE_API_TOKEN: _unused, ...withoutToken } = env();
    const rejected = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'a.csv'), ...fast], {
      env: { ...withoutToken, CLOUDFLARE_API_TOKEN_FILE: tokenFile },
    });
    expect(rejected.code).toBe(4);
    expect(rejected.stderr).toMatch(/rejected the API token \(HTTP 401, code 10000\): check the token in CLOUDFLARE_API_TOKEN_FILE is a valid token/);
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: 'b.csv', textColumn: 'review', accountId: 'acct456', rpm: 100000 }));
    server.enqueue([{ status: 403, code: 10000, message: 'Authentication error' }]);
    const { CLOUDFLARE_ACCOUNT_ID: _account, ...withoutAccount } = env();
    const refused = await runCli(['run', job, '--concurrency', '1'], { env: withoutAccount });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/check CLOUDFLARE_API_TOKEN has the Workers AI permission and belongs to the account in \\?"accountId\\?" in job file .*job\.json/);
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: 'c.csv', textColumn: 'review', accountId: 'acct 456' }));
    const badId = await runCli(['run', job], { env: withoutAccount });
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/Expected the Cloudflare account id \(\\?"accountId\\?" in job file .*job\.json\) to be letters/);
  });

  // README's first example sets CLOUDFLARE_API_TOKEN_FILE; a rejected token from it said 'check CLOUDFLARE_API_TOKEN is
  // a valid token', a variable that person never set, and so did a token of the file with a space in it.
  it('names CLOUDFLARE_API_TOKEN_FILE when the token came from it', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20));
    const file = path.join(dir, 'token');
    writeFileSync(file, 'wrong-Token-abcdef0123456789\n');
    const { CLOUDFLARE_API_TOKEN: _unset, ...rest } = env();
    const rejected = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv')], { env: { ...rest, CLOUDFLARE_API_TOKEN_FILE: file } });
    expect(rejected.code).toBe(4);
    expect(rejected.stdout).toContain('check the token in CLOUDFLARE_API_TOKEN_FILE is a valid token with the Workers AI permission');
    expect(rejected.stdout + rejected.stderr).not.toMatch(/CLOUDFLARE_API_TOKEN(?!_FILE)/);
    writeFileSync(file, 'two words\n');
    const spaced = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out2.csv')], { env: { ...rest, CLOUDFLARE_API_TOKEN_FILE: file } });
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toMatch(/^sentiment-batch: Expected the Cloudflare API token \(the token in CLOUDFLARE_API_TOKEN_FILE\) to be printable ASCII without spaces/);
    // A token file holding the token in quotes: not docker's --env-file, so the file is named as what to mend.
    writeFileSync(file, '"wrong-Token-abcdef0123456789"\n');
    const quoted = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out3.csv')], { env: { ...rest, CLOUDFLARE_API_TOKEN_FILE: file } });
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toMatch(/^sentiment-batch: Expected the Cloudflare API token \(the token in CLOUDFLARE_API_TOKEN_FILE\) without quotes around it, got a value of 30 characters in quotes: write the token in the file bare, without them\n$/);
  });

  it('pauses on the daily allocation (4006) with exit 75 and continues the next day', async () => {
    const input = path.join(dir, 'in.csv');
    // 80 rows: the 0.5-neuron allocation pauses the run after about 20 of them (10 tokens each), so a pause mid-job and a
    // next day's resume as with 200 (10 s at load average ~13, three runs of 200 rows).
    writeFileSync(input, syntheticCsv(80, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, 'out.csv');
    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', reference, ...fast], { env: env() })).code).toBe(0);
    await server.close();
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, dailyNeurons: 0.5, countTokens: () => 10 });
    const paused = await runCli(['score', input, '--text-column', 'review', '-o', output, '--concurrency', '4', ...fast], { env: env() });
    expect(paused.code).toBe(75);
    expect(paused.stdout).toMatch(/Paused/);
    // The 429s that paused the run are counted (the summary said "429s 0"): as many as the server sent.
    const refused = server.stats().byStatus['429'] ?? 0;
    expect(refused).toBeGreaterThan(0);
    expect(paused.stdout).toContain(`429s ${refused})`);
    expect(existsSync(`${output}.checkpoint.json`)).toBe(true);
    expect(existsSync(output)).toBe(false);
    const scoredBefore = server.stats().byStatus['200'] ?? 0;
    expect(scoredBefore).toBeGreaterThan(0);
    expect(scoredBefore).toBeLessThan(80);

    // Midnight UTC: a new allocation (a server without the tiny one).
    await server.close();
    server = await startServer({ scorer: new TestScorer(), token: TOKEN });
    const resumed = await runCli(['score', input, '--text-column', 'review', '-o', output, '--concurrency', '4', ...fast], { env: env() });
    expect(resumed.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
  });
});
