/**
 * Redis refusing the shared limit mid-run (out of memory, a password it now asks for) ends the run, exit 2, with its
 * checkpoint. The requests already sent then had been given their slots: the service answers them, and bills them. The
 * run aborted them at once, as for a fatal answer of the service (a rejected token), where every request in flight
 * fails anyway: their answers were lost and the next run paid for them again (found 2026-12-05: `score --redis` with
 * `CONFIG SET maxmemory 1` on its Redis mid-run, `requests sent 280 (answered 279)`, the server 3,001 answers for 3,000
 * rows after the resume). They get `--grace`, as after a signal, and their answers are kept in the journal.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, TestRedis } from './support/redis.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 16;

describe.skipIf(!REDIS_SERVER)(`Redis refuses the shared limit mid-run (${REDIS_SKIP_REASON})`, () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let redis: TestRedis;
  const env = () => workersAiEnv(server);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    // Answers spread over 0.4-2 s: when the first of four in flight is answered, the others are still waiting.
    server = await startServer({ scorer: new TestScorer(), latency: '400-2000ms' });
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis.close();
    await server.close();
    cleanup();
  });

  it('the requests in flight are answered and kept: after the resume, every row was paid for once', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, syntheticCsv(ROWS, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--concurrency', '4', '--redis', redis.url, '--progress', 'off'];
    const admin = new Redis(redis.url);
    try {
      const first = spawnCli(args, { env: env() });
      await waitWhileRunning(first, () => server.stats().inFlight >= 4, 'four requests in flight');
      // Every later slot is refused: the script's writes fail with OOM.
      await admin.config('SET', 'maxmemory', '1');
      const stopped = await first.result;
      expect(stopped.code, stopped.stderr).toBe(2);
      expect(stopped.stderr).toMatch(/the shared rate limit in Redis \(redis:\/\/127\.0\.0\.1:\d+\) failed: OOM command not allowed/);
      // Every request sent was answered, none dropped on the way out.
      const sent = /requests sent (\d+) \(answered (\d+)/.exec(stopped.stdout + stopped.stderr);
      expect(sent, stopped.stdout).not.toBeNull();
      expect(sent?.[2]).toBe(sent?.[1]);

      await admin.config('SET', 'maxmemory', '0');
      const resumed = await runCli(args, { env: env() });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(server.stats().byOutcome.ok).toBe(ROWS);
    } finally {
      await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
      admin.disconnect();
    }
  }, 60_000);
});
