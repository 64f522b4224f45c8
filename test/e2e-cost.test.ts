import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { NEURONS_PER_TOKEN, USD_PER_1000_NEURONS } from '../src/scoring/pricing.js';
import { loadTokenizer, type DistilbertTokenizer } from '../src/tokenizer/index.js';
import { runCli, spawnCli, tempDir, waitFor } from './support/cli.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

describe('cost: estimate, long texts, budgets and the cache', () => {
  let tokenizer: DistilbertTokenizer;
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token-0123456789' });
  const fast = ['--rpm', '100000'];

  beforeAll(() => {
    tokenizer = loadTokenizer();
  });
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    // The server counts tokens with the real tokenizer and rejects texts over 512 of them, like the service.
    server = await startServer({ scorer: new TestScorer(), countTokens: (t) => tokenizer.countTokens(t) });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  const longText = (i: number) => `${'an extraordinarily wonderful experience overall '.repeat(120)}#${i}`;

  it('requests the service answered with an error cost nothing: the job neurons and cost bound count only answered ones', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), ...fast, '--max-attempts', '2', '--summary-json', path.join(dir, 's.json')];
    server.setFaults({ seed: 5, latency: '1-3ms', failRate: 0.5 });
    const run = await runCli(args, { env: env() });
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as {
      totals: { requests: number; neurons: number };
      run: { billableNeurons: number };
      estimatedCostUsd: number;
    };
    const stats = server.stats();
    const failed = stats.total - (stats.byStatus['200'] ?? 0);
    // Done (0) or stopped by the failure rate (5), depending on how the failures fall; never another error.
    expect([0, 5], run.stderr).toContain(run.code);
    expect(failed).toBeGreaterThan(0);
    expect(summary.totals.requests).toBe(stats.total);
    // The server bills only its 200 answers; the summary's neurons and cost bound are exactly those.
    expect(summary.totals.neurons).toBeCloseTo(stats.neurons, 9);
    expect(summary.totals.neurons).toBeCloseTo(summary.run.billableNeurons, 9);
    expect(summary.estimatedCostUsd).toBeCloseTo((stats.neurons / 1000) * USD_PER_1000_NEURONS, 12);
  });

  it('estimate counts exactly the requests and tokens a run then sends', async () => {
    const input = path.join(dir, 'in.csv');
    const csv = syntheticCsv(400).trimEnd().split('\n');
    csv.push(`400,"${longText(1)}",5`, `401,"${longText(1)}",5`, `402,"${longText(2)}",1`);
    writeFileSync(input, `${csv.join('\n')}\n`);
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--json'], { env: env() });
    expect(estimate.code).toBe(0);
    const figures = JSON.parse(estimate.stdout) as { rows: number; requests: number; tokens: number; longTexts: number; neurons: number };
    expect(figures.rows).toBe(403);
    expect(figures.longTexts).toBe(3);

    const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), ...fast, '--summary-json', path.join(dir, 's.json')], { env: env() });
    expect(run.code).toBe(0);
    const stats = server.stats();
    expect(stats.byStatus['413'] ?? 0).toBe(0);
    expect(stats.total).toBe(figures.requests);
    expect(stats.tokens).toBe(figures.tokens);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { totals: { tokens: number; truncated: number; neurons: number } };
    expect(summary.totals.tokens).toBe(figures.tokens);
    expect(summary.totals.truncated).toBe(3);
    expect(summary.totals.neurons).toBeCloseTo(figures.neurons, 9);

    const rows = parse(readFileSync(path.join(dir, 'out.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.sentiment_truncated === 'true').map((r) => r.id)).toEqual(['400', '401', '402']);
    // Human form too.
    const human = await runCli(['estimate', input, '--text-column', 'review'], { env: env() });
    expect(human.stdout).toMatch(new RegExp(`requests ${figures.requests.toLocaleString('en-US')} · tokens to send ${figures.tokens.toLocaleString('en-US')}`));
  });

  it('--long-text skip and fail never send an over-long text', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,review\n1,"${longText(1)}"\n2,short and great\n`);
    for (const policy of ['skip', 'fail'] as const) {
      const output = path.join(dir, `${policy}.csv`);
      const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--long-text', policy, ...fast], { env: env() });
      expect(result.code).toBe(0);
      const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
      expect(rows[0]?.sentiment_error).toMatch(/^text_too_long/);
      expect(rows[1]?.sentiment_label).toBe('POSITIVE');
      expect(result.stdout).toMatch(policy === 'skip' ? /skipped 1, failed 0/ : /skipped 0, failed 1/);
    }
    // Only the short text was sent, once per run.
    expect(server.stats().total).toBe(2);
    expect(server.stats().byStatus['413'] ?? 0).toBe(0);
  });

  it('a request budget pauses with exit 75 and a fresh budget finishes the same bytes', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(120, { duplicateEvery: 0, emptyEvery: 0 }));
    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', reference, ...fast], { env: env() })).code).toBe(0);
    server.reset();
    const output = path.join(dir, 'out.csv');
    const budget = ['score', input, '--text-column', 'review', '-o', output, '--max-requests', '50', ...fast];
    const first = await runCli(budget, { env: env() });
    expect(first.code).toBe(75);
    expect(first.stdout).toMatch(/--max-requests 50/);
    expect(server.stats().total).toBe(50);
    // The next night, the same command: a fresh budget of 50 more.
    const second = await runCli(budget, { env: env() });
    expect(second.code).toBe(75);
    expect(server.stats().total).toBe(100);
    const third = await runCli(budget, { env: env() });
    expect(third.code).toBe(0);
    // Rows answered before a pause but after its last checkpoint may be asked again: at most a few.
    expect(server.stats().total).toBeGreaterThanOrEqual(120);
    expect(server.stats().total).toBeLessThanOrEqual(130);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
  });

  it('a neuron budget counts what is billed (answered requests), never exceeded by requests in flight', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(400, { duplicateEvery: 0, emptyEvery: 0 }));
    const texts = (parse(readFileSync(input), { columns: true }) as Array<Record<string, string>>).map((r) => r.review as string);
    const largest = Math.max(...texts.map((t) => tokenizer.countTokens(t))) * NEURONS_PER_TOKEN;
    const budget = 5;
    // 30 % of the requests fail (500): they are not billed, so they must not use up the budget.
    server.setFaults({ seed: 3, latency: '1-5ms', failRate: 0.3 });
    const output = path.join(dir, 'out.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-neurons', String(budget), ...fast, '--summary-json', path.join(dir, 's.json')];
    const first = await runCli(args, { env: env() });
    expect(first.code).toBe(75);
    expect(first.stdout).toMatch(/--max-neurons 5\) would be exceeded/);
    const billed = server.stats().neurons;
    expect(server.stats().byStatus['500'] ?? 0).toBeGreaterThan(10);
    // Never over the budget, and paused only when the next request could not fit in what was billed.
    expect(billed).toBeLessThanOrEqual(budget);
    expect(billed).toBeGreaterThan(budget - largest);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { run: { billableNeurons: number } };
    expect(summary.run.billableNeurons).toBeCloseTo(billed, 9);
  });

  it('the cache: a second run sends nothing, 10 % new rows send exactly those, bytes identical', async () => {
    const cache = path.join(dir, 'cache');
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = (output: string) => ['score', input, '--text-column', 'review', '-o', output, '--cache', cache, ...fast];
    expect((await runCli(args(path.join(dir, 'a.csv')), { env: env() })).code).toBe(0);
    expect(server.stats().total).toBe(200);

    server.reset();
    const again = await runCli([...args(path.join(dir, 'b.csv')), '--summary-json', path.join(dir, 'b.json')], { env: env() });
    expect(again.code).toBe(0);
    expect(server.stats().total).toBe(0);
    expect(readFileSync(path.join(dir, 'b.csv')).equals(readFileSync(path.join(dir, 'a.csv')))).toBe(true);
    expect((JSON.parse(readFileSync(path.join(dir, 'b.json'), 'utf8')) as { totals: { cached: number } }).totals.cached).toBe(200);

    // Tomorrow's export: the same 200 rows and 20 new ones.
    const extra = Array.from({ length: 20 }, (_, i) => `${200 + i},"${reviewText(10_000 + i).replace(/"/g, '""')}",3`).join('\n');
    writeFileSync(input, `${readFileSync(input, 'utf8')}${extra}\n`);
    server.reset();
    const estimated = await runCli(['estimate', input, '--text-column', 'review', '--cache', cache, '--json'], { env: env() });
    expect(estimated.stderr).toBe('');
    const estimate = JSON.parse(estimated.stdout) as { alreadyCached: number; requests: number };
    expect(estimate).toMatchObject({ alreadyCached: 200, requests: 20 });
    expect((await runCli(args(path.join(dir, 'c.csv')), { env: env() })).code).toBe(0);
    expect(server.stats().total).toBe(20);
  });

  it('a run killed mid-way leaves a usable cache', async () => {
    const cache = path.join(dir, 'cache');
    const input = path.join(dir, 'in.csv');
    // 600 rows, killed after 200 requests (was 1,200 and 400: what is tested is the cache a kill leaves, not the size).
    const rows = 600;
    writeFileSync(input, syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0 }));
    await server.close();
    server = await startServer({ scorer: new TestScorer(), latency: '2-6ms', countTokens: (t) => tokenizer.countTokens(t) });
    const output = path.join(dir, 'out.csv');
    // The run that is killed goes at ~200 requests a second (the rate is not part of the job's settings), so
    // the kill lands mid-run whatever the machine's load.
    const child = spawnCli(['score', input, '--text-column', 'review', '-o', output, '--cache', cache, '--concurrency', '16', '--rpm', '12000'], { env: env() });
    // A bound against a hang only: on a loaded machine (load average ~18) the CLI took over 30 s to send them.
    await waitFor(() => server.stats().total >= 200, 90_000, '200 requests');
    child.kill('SIGKILL');
    await child.result;
    const sentBeforeKill = server.stats().total;
    server.reset();
    const resumed = await runCli(['score', input, '--text-column', 'review', '-o', output, '--cache', cache, ...fast, '--summary-json', path.join(dir, 's.json')], { env: env() });
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { totals: { read: number } };
    expect(summary.totals.read).toBe(rows);
    // Rows answered before the kill but after the last checkpoint come from the cache, not the service.
    expect(server.stats().total).toBeLessThan(rows - sentBeforeKill + 64);
    const written = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    expect(written).toHaveLength(rows);
    // The journal may have answered the resumed run's rows; what proves the cache the kill left usable is another
    // output, with no checkpoint or journal of its own: every row from the cache, nothing sent, the same scores.
    server.reset();
    const other = path.join(dir, 'other.csv');
    const fromCache = await runCli(['score', input, '--text-column', 'review', '-o', other, '--cache', cache, ...fast, '--summary-json', path.join(dir, 'other.json')], { env: env() });
    expect(fromCache.code, fromCache.stderr).toBe(0);
    expect(server.stats().total).toBe(0);
    const otherSummary = JSON.parse(readFileSync(path.join(dir, 'other.json'), 'utf8')) as { totals: { cached: number } };
    expect(otherSummary.totals.cached).toBe(rows);
    expect(readFileSync(other)).toEqual(readFileSync(output));
  }, 180_000);
});
