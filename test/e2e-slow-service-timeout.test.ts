import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { useServedInput } from './support/served-input.js';

/**
 * A service that answers every request, but later than --timeout: the run's rate stop says that no answer came in
 * time and names --timeout, not "the service is failing: run the same command again once it answers", which every
 * rerun met again (measured against `serve --latency 2500ms`, `--timeout 2s`, 200 rows: exit 5 after 332 requests,
 * 331 of them answered 200 by the server after the run gave up on them).
 */
describe('a service slower than --timeout', () => {
  const served = useServedInput('in.csv', () => syntheticCsv(80, { duplicateEvery: 0, emptyEvery: 0 }), { latency: '400ms', seed: 3 });

  it('stops exit 5 naming --timeout, and the server ran the requests it was sent', async () => {
    const output = served.path('out.csv');
    const args = ['score', served.input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--timeout', '100ms', '--log-level', 'warn'];
    const stopped = await runCli(args, { env: served.env() });
    expect(stopped.code).toBe(5);
    expect(stopped.stdout).toMatch(
      /^ {2}the service did not answer in time: the last 50 rows sent timed out \(No complete answer from http:\/\/127\.0\.0\.1:\d+ within 100 ms \(the per-attempt timeout\) \(gave up after 1 attempt\)\); if it is slow rather than down, a longer --timeout gives it time/m,
    );
    expect(stopped.stdout).not.toMatch(/the service is failing/);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    // Requests the run gave up on were still answered 200 by the server (run, and billed by the real one).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(served.server.stats().byStatus['200']).toBeGreaterThanOrEqual(50);
  });
});
