import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rowsCheckpointed, runCli, spawnCli, waitWhileRunning } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 8_000;

/**
 * Ctrl-C of a Workers AI run with 8,000 rows queued (`--concurrency 2500` reads 20,000 ahead): the limiter's stop
 * waited for bottleneck to take every queued row in, a timer's turn each (27 s from SIGINT to exit with 20,000 queued,
 * 2026-12-07). It exits once the requests in flight end, and no queued row is lost: the resume writes every row, each
 * text requested once across both runs, each row written once, in order, scored.
 *
 * This test guards that outcome, not the mechanism: the old stop passes it too. It also exited 130, and the rows it
 * took in after the signal it dropped unsent (their signal was aborted), so the requests made after the stop, the
 * checkpoint and the resume are the same; the only difference is how long the exit took, and in a separate process
 * that shows only as wall time, which tests do not assert. The guard of the mechanism is
 * test/limiter-stop-queue.test.ts: the limiter's stop on a clock that stands still, where a stop that waits for any
 * queued row's timer turn never returns. The time is bench/stop-queue.ts's figure (8,000 rows: SIGINT to exit 1.4 s,
 * 17.0 s with the old stop, at load average 21-23).
 */
describe('a stop with thousands of rows queued', () => {
  const files = useTempDir();
  const servers = useTestServer();

  it('exits 130 on SIGINT; the resume completes the job with each text requested once', async () => {
    const server = await servers.start({ latency: '100ms' });
    const input = files.path('in.csv');
    writeFileSync(input, syntheticCsv(ROWS, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = files.path('out.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--progress', 'off'];
    const env = workersAiEnv(server);
    const child = spawnCli([...args, '--rpm', '600', '--concurrency', '2500', '--checkpoint-interval', '500ms'], { env });
    await waitWhileRunning(child, () => rowsCheckpointed(output) > 0, 'a checkpoint with rows');
    child.kill('SIGINT');
    const stopped = await child.result;
    expect(stopped.code, stopped.stderr).toBe(130);
    const written = rowsCheckpointed(output);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(ROWS);

    const resumed = await runCli([...args, '--rpm', '1000000', '--concurrency', '48'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    // Every text requested once in all (none queued lost, none paid twice).
    expect(server.stats().total).toBe(ROWS);

    const rows = readFileSync(output, 'utf8').trimEnd().split('\n').slice(1);
    expect(rows.map((row) => Number(row.split(',')[0]))).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    for (const row of rows) expect(row).toMatch(/,(POSITIVE|NEGATIVE),/);
  });
});
