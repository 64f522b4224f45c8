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
 */
describe('a stop with thousands of rows queued', () => {
  const files = useTempDir();
  const servers = useTestServer();

  it('exits within seconds of SIGINT; the resume completes the job with each text requested once', async () => {
    const server = await servers.start({ latency: '100ms' });
    const input = files.path('in.csv');
    writeFileSync(input, syntheticCsv(ROWS, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = files.path('out.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--progress', 'off'];
    const env = workersAiEnv(server);
    const child = spawnCli([...args, '--rpm', '600', '--concurrency', '2500', '--checkpoint-interval', '500ms'], { env });
    await waitWhileRunning(child, () => rowsCheckpointed(output) > 0, 'a checkpoint with rows');
    const signalled = performance.now();
    child.kill('SIGINT');
    const stopped = await child.result;
    const stopMs = performance.now() - signalled;
    expect(stopped.code, stopped.stderr).toBe(130);
    // Thousands still queued took bottleneck seconds to take in (1 ms at least each) before the stop returned.
    expect(stopMs).toBeLessThan(4_000);
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
