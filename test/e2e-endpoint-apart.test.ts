import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { customEndpoint } from '../src/scoring/workers-ai-defaults.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** A server that answers everything 0.5 / 0.5: what a stub or a broken staging endpoint might say. */
const flat: Scorer = { modelId: 'test:flat', remote: false, score: async () => toScores(0.5, 0.5), close: async () => undefined };

/**
 * Answers from one address (a local imitation, a test server) are never taken
 * for another's: the result cache, the checkpoint and the answer journal keep
 * them apart, so a cache filled against a stub cannot fill a real run's output.
 */
describe('answers are kept apart by the address that gave them (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let stub: RunningServer;
  let real: RunningServer;
  const env = (server: RunningServer) => workersAiEnv(server);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    stub = await startServer({ scorer: flat });
    real = await startServer({ scorer: new TestScorer() });
    writeFileSync(path.join(dir, 'in.csv'), syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
  });
  afterAll(async () => {
    await stub.close();
    await real.close();
    cleanup();
  });

  const args = (output: string, ...more: string[]) => ['score', path.join(dir, 'in.csv'), '--text-column', 'review', '-o', path.join(dir, output), '--rpm', '100000', '--log-level', 'warn', ...more];

  it('a cache filled through one address answers nothing through another', async () => {
    const cache = path.join(dir, 'cache');
    expect((await runCli(args('stub.csv', '--cache', cache), { env: env(stub) })).code).toBe(0);
    expect((await runCli(args('plain.csv'), { env: env(real) })).code).toBe(0);
    real.reset();
    const cached = await runCli(args('real.csv', '--cache', cache), { env: env(real) });
    expect(cached.code).toBe(0);
    expect(cached.stdout).toContain('cache hits 0');
    expect(real.stats().total).toBe(20);
    expect(readFileSync(path.join(dir, 'real.csv')).equals(readFileSync(path.join(dir, 'plain.csv')))).toBe(true);
  });

  it('a run stopped against one address starts over, not resumes, against another', async () => {
    stub.setFaults({ latency: '300ms' });
    stub.reset();
    const child = spawnCli([...args('switched.csv', '--checkpoint-interval', '100ms', '--concurrency', '1')], { env: env(stub) });
    await waitWhileRunning(child, () => (stub.stats().byStatus['200'] ?? 0) >= 3, 'three answers from the stub', 50_000);
    child.kill('SIGTERM');
    expect((await child.result).code).toBe(130);
    const resumed = await runCli(['score', path.join(dir, 'in.csv'), '--text-column', 'review', '-o', path.join(dir, 'switched.csv'), '--rpm', '100000'], { env: env(real) });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr + resumed.stdout).toContain('model and the address serving it');
    expect(readFileSync(path.join(dir, 'switched.csv')).equals(readFileSync(path.join(dir, 'plain.csv')))).toBe(true);
  });

  it('the real service is the default: naming its address is the same as not naming one', () => {
    expect(customEndpoint(undefined)).toBeUndefined();
    expect(customEndpoint('https://api.cloudflare.com/client/v4/')).toBeUndefined();
    expect(customEndpoint('http://127.0.0.1:8787/client/v4/')).toBe('http://127.0.0.1:8787/client/v4');
  });
});
