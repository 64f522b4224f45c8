import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A completed job whose mend stopped at its request budget (its journal holds the 10 answers it received), started
 * over under another prefix: the start-over line said "the answers of its output are kept for this job (133 texts …)",
 * 10 of them its journal's, for rows its output holds failed (operator23: 30 of 1,730). It counts them apart.
 */
describe('a completed job with a stopped mend, started over under changed settings', () => {
  const server = useFileServer({ latency: '1-3ms', seed: 21 });
  const dir = useTempDir();

  it("names the answers its journal held beside its output's", async () => {
    const input = dir.file('in.csv', syntheticCsv(200));
    const env = workersAiEnv(server, { token: 'token' });
    const args = (...more: string[]) => ['score', input, '--text-column', 'review', '-o', dir.path('out.csv'), '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn', ...more];
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 0.35 });
    expect((await runCli(args(), { env })).stdout).toMatch(/\d+ rows failed transiently/);
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const mend = await runCli(args('--max-requests', '10'), { env });
    expect(mend.stderr).toContain('--max-requests 10) is used up');
    const other = await runCli(args('--prefix', 'mood'), { env });
    expect(other.code).toBe(0);
    expect(other.stderr).toMatch(/starting over; the answers of its output and the 10 answers its journal held are kept for this job \(\d+ texts in /);
  });
});
