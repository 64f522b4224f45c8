import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, rowsCheckpointed, runCli, spawnCli, tempDir, waitFor } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * No answer paid for is requested again: a run cut by kill -9, SIGTERM and a
 * budget pause, then finished, sends (almost) no more requests than a lone
 * run and ends byte-identical; a SIGTERM ends waits at once and keeps the
 * answers of requests in flight.
 */
const ROWS = 1200;

describe('answers are kept until their rows are written', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => workersAiEnv(server);
  // 12000 rpm: a 1,200-row run takes ~6 s, so each cut lands mid-run with requests in flight. The default
  // checkpoint interval (2 s): without the journal a kill -9 would send up to 2 s of rows again.
  const args = (output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '12000', '--concurrency', '32', '--log-level', 'warn'];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '20-80ms', seed: 5 });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a run cut by kill -9, SIGTERM and --max-requests sends at most 3 % more than a lone run, with the same bytes', async () => {
    const lone = path.join(dir, 'lone.csv');
    server.reset();
    expect((await runCli(args(lone), { env: env() })).code).toBe(0);
    const loneRequests = server.stats().total;

    server.reset();
    const cut = path.join(dir, 'cut.csv');
    // The cut runs go slower (50 rows/s; the rate is not part of the job's settings), so each cut lands
    // mid-run whatever the machine's load: a run must not finish before the signal reaches it.
    const slow = (output: string) => [...args(output), '--rpm', '3000'];
    const killed = spawnCli(slow(cut), { env: env() });
    await waitFor(() => rowsCheckpointed(cut) >= 50, 60_000, 'a first checkpoint');
    // Half-way to the next checkpoint: rows answered since the last one are what a kill used to cost.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    killed.kill('SIGKILL');
    expect((await killed.result).signal).toBe('SIGKILL');
    expect(existsSync(`${cut}.journal`)).toBe(true);

    const before = rowsCheckpointed(cut);
    const terminated = spawnCli(slow(cut), { env: env() });
    await waitFor(() => rowsCheckpointed(cut) > before, 60_000, 'a checkpoint of the resumed run');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    terminated.kill('SIGTERM');
    expect((await terminated.result).code).toBe(130);

    const paused = await runCli([...args(cut), '--max-requests', '150'], { env: env() });
    expect(paused.code).toBe(75);
    expect(paused.stdout).toMatch(/request budget \(--max-requests 150\) is used up/);

    const finished = await runCli(args(cut), { env: env() });
    expect(finished.code).toBe(0);
    const cutRequests = server.stats().total;
    expect(readFileSync(cut).equals(readFileSync(lone))).toBe(true);
    expect(cutRequests).toBeLessThanOrEqual(Math.floor(loneRequests * 1.03));
    // The journal is gone with the completed job.
    expect(existsSync(`${cut}.journal`)).toBe(false);
  }, 180_000);

  it('after a pause, a text the paused run already paid for is not sent again, also for a later row that repeats it; the log counts the answers for rows still to write apart', async () => {
    // 300 distinct texts, then 150 new ones each followed by a repeat of an early one: 450 distinct texts in 600 rows.
    const early = Array.from({ length: 300 }, (_, i) => `Visit ${i}: the staff were friendly and the room was clean`);
    const later = Array.from({ length: 150 }, (_, j) => [`Order ${j}: arrived late and the box was damaged`, early[j] as string]).flat();
    const small = path.join(dir, 'repeats.csv');
    writeFileSync(small, `review\n${[...early, ...later].join('\n')}\n`);
    const output = path.join(dir, 'repeats.out.csv');
    const smallArgs = ['score', small, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-level', 'info'];
    server.reset();
    const paused = await runCli([...smallArgs, '--max-requests', '350'], { env: env() });
    expect(paused.code).toBe(75);
    const written = rowsCheckpointed(output);
    const finished = await runCli(smallArgs, { env: env() });
    expect(finished.code).toBe(0);
    // Every distinct text paid for once across both runs.
    expect(server.stats().total).toBe(450);
    const kept = logLines(finished.stderr).filter((line) => String(line['msg']).includes('kept from the journal'));
    expect(kept).toHaveLength(1);
    expect(kept[0]?.['answers']).toBe(350);
    // Texts first asked by a row the paused run wrote (rows past 300 alternate a new text and a repeat); the rest are for rows still to write.
    expect(kept[0]?.['forRowsAhead']).toBe(350 - Math.min(written, 300) - Math.ceil(Math.max(0, written - 300) / 2));
  });

  it('a journal made for another input is never replayed', async () => {
    const output = path.join(dir, 'other.csv');
    const paused = await runCli([...args(output), '--max-requests', '100'], { env: env() });
    expect(paused.code).toBe(75);
    expect(existsSync(`${output}.journal`)).toBe(true);
    // A different export at the same path: the old answers must not leak into it.
    const otherInput = path.join(dir, 'in.csv');
    const original = readFileSync(otherInput);
    writeFileSync(otherInput, syntheticCsv(300, { marker: (i) => ` v2-${i}` }));
    try {
      server.reset();
      const fresh = await runCli(args(output), { env: env() });
      expect(fresh.code).toBe(0);
      expect(fresh.stderr).not.toMatch(/kept from the journal/);
      const reference = path.join(dir, 'other-reference.csv');
      expect((await runCli(args(reference), { env: env() })).code).toBe(0);
      expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    } finally {
      writeFileSync(otherInput, original);
    }
  });
});

describe('SIGTERM while rows wait out a Retry-After and queue for the rate limit', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    // Every answer takes 1.5 s, so a request is in flight whenever the signal comes.
    server = await startServer({ scorer: new TestScorer(), latency: '1500ms', seed: 2 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('exits 130 once the requests in flight are answered, long before --grace, and keeps their answers', async () => {
    const input = path.join(dir, 'in.csv');
    // 200 rows at 60 a minute: when the signal comes, ~190 of them queue for the rate, over three minutes of waiting
    // for their turns, past this test's own two; --grace is ten minutes. A stop that waited for the queue or for the
    // grace cannot end within the test, so no clock is needed: exit 130 is the evidence that neither was waited out.
    const rows = 200;
    writeFileSync(input, syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0 }));
    const env = workersAiEnv(server);
    const output = path.join(dir, 'out.csv');
    // The first three requests are told to come back in 50 s; the rest queue at 60 a minute.
    server.enqueue([1, 2, 3].map(() => ({ status: 429, code: 3040, retryAfter: 50 })));
    const args = ['score', input, '--text-column', 'review', '-o', output, '--concurrency', '8', '--log-level', 'warn'];
    const child = spawnCli([...args, '--rpm', '60', '--grace', '10m'], { env });
    await waitFor(() => (server.stats().byStatus['200'] ?? 0) >= 1 && server.stats().inFlight >= 1, 60_000, 'an answered row and one in flight');
    child.kill('SIGTERM');
    const stopped = await child.result;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/Interrupted/);
    // The requests in flight at the signal (1.5 s each) were answered, none aborted: the grace never ran out.
    expect(server.stats().inFlight).toBe(0);
    expect(server.stats().byOutcome.aborted).toBe(0);
    const answered = server.stats().byStatus['200'] ?? 0;
    expect(answered).toBeGreaterThanOrEqual(2);
    // The summary counts what was sent: the three rows told to wait 50 s were never retried.
    const sent = /requests sent (\d+) \(answered (\d+) · retries 0 · 429s 3\)/.exec(stopped.stdout);
    expect(sent?.slice(1).map(Number)).toEqual([server.stats().total, answered]);

    // Finishing sends each text once more at most for the rows never answered: no answer is bought twice.
    // (Answers at 1-5 ms now, so the ~190 rows left take a second or two, not 1.5 s each.)
    server.setFaults({ latency: '1-5ms', seed: 2 });
    const finished = await runCli([...args, '--rpm', '60000'], { env });
    expect(finished.code).toBe(0);
    expect(server.stats().byStatus['200']).toBe(rows);
  });
});
