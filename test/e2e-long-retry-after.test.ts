// A service that answers 429 with `Retry-After: 3600` (or 503 with one an hour away) says when it will score again: the
// run pauses at once, exit 75, and the next run continues, paying for no answer twice. Until 2026-12-05 the wait was cut
// to 60 s and retried: a 200-row run against such a server sent a request a minute per row in progress for over 15
// minutes, then ended exit 5 ("the service is failing"), its rows written failed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'sekrit-Token-1234567890abcdef';

describe('a Retry-After longer than a run waits', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const fast = ['--rpm', '100000', '--concurrency', '4'];
  const env = () => workersAiEnv(server, { account: 'acct123', token: TOKEN });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, latency: '1-5ms' });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it.each([
    ['429, code 3040, Retry-After: 3600', { status: 429, code: 3040, retryAfter: 3600 }, /asks to wait 1 h 0 min before the next request \(Retry-After\).* It answered: Workers AI is temporarily out of capacity \(HTTP 429, code 3040\)/],
    ['503, Retry-After: 7200', { status: 503, retryAfter: 7200 }, /asks to wait 2 h 0 min before the next request \(Retry-After\).* It answered: Workers AI failed transiently \(HTTP 503, code 3043\)/],
  ])('%s pauses the run at once (exit 75), and the next run continues paying for nothing twice', async (_name, refusal, said) => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 }));
    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', reference, ...fast], { env: env() })).code).toBe(0);
    server.reset();

    server.enqueue([...Array.from({ length: 50 }, () => ({ status: 200 })), ...Array.from({ length: 500 }, () => refusal)]);
    const output = path.join(dir, 'out.csv');
    const started = Date.now();
    const paused = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast, '--summary-json', path.join(dir, 's.json')], { env: env() });
    expect(paused.code).toBe(75);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(paused.stdout + paused.stderr).toMatch(said);
    expect(paused.stdout + paused.stderr).toMatch(/run the same command again after \d{4}-\d\d-\d\d \d\d:\d\d UTC to resume/);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'paused', exitCode: 75 });
    expect(summary.totals.failed).toBe(0);
    // One refusal per row in progress at most, never a retry of it.
    const refused = server.stats().total - 50;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(4);
    expect(existsSync(output)).toBe(false);

    server.reset();
    const resumed = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast], { env: env() });
    expect(resumed.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    // The 50 answers paid for before the pause are not asked for again.
    expect(server.stats().total).toBe(150);
  });

  it('a Retry-After too long to be a date (10^13 s) is unreadable: the rows retry, no internal error (was exit 1, RangeError)', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0 }));
    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', reference, ...fast], { env: env() })).code).toBe(0);
    server.reset();

    server.enqueue(Array.from({ length: 3 }, () => ({ status: 429, code: 3021, retryAfter: 10_000_000_000_000 })));
    const output = path.join(dir, 'out.csv');
    const run = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast], { env: env() });
    const said = run.stdout + run.stderr;
    expect(said).not.toMatch(/RangeError|internal error/);
    expect(run.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    expect(server.stats().total).toBe(43);
  });

  it('a 3021 whose Retry-After holds the whole job 10 s or more says so at warn (was silent: a minute at a time with --progress off)', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(10, { duplicateEvery: 0, emptyEvery: 0 }));
    server.enqueue([{ status: 429, code: 3021, retryAfter: 10 }]);
    const output = path.join(dir, 'out.csv');
    const run = await runCli(['score', input, '--text-column', 'review', '-o', output, ...fast, '--progress', 'off', '--log-format', 'pretty'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/WARN +the service rate-limited this job \(HTTP 429, code 3021\) and asks to wait 10 s \(Retry-After\): no request is sent for 10 s/);
    expect(server.stats().total).toBe(11);
  });

  it('with -o - (standard output, no checkpoint): the pause says the next run starts from the beginning, not "to resume"', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(60, { duplicateEvery: 0, emptyEvery: 0 }));
    server.enqueue(Array.from({ length: 500 }, () => ({ status: 429, code: 3040, retryAfter: 3600 })));
    const paused = await runCli(['score', input, '--text-column', 'review', '-o', '-', ...fast], { env: env() });
    expect(paused.code).toBe(75);
    const said = paused.stdout + paused.stderr;
    expect(said).toMatch(/asks to wait 1 h 0 min before the next request \(Retry-After\)/);
    // Was: "run the same command again after … UTC to resume", of a run that keeps nothing to resume from.
    expect(said).not.toMatch(/to resume/);
    expect(said).toMatch(/run the same command again after \d{4}-\d\d-\d\d \d\d:\d\d UTC \(standard output keeps no checkpoint: (?:the 1 row written there is|the [\d,]+ rows written there are) all this run leaves, and that run scores every row again, from the first; to keep a run's progress, write to a file \(-o FILE\)\)/);
  });
});

