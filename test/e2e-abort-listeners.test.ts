import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import type { Totals } from '../src/state/totals.js';
import { spawnCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'listener-Token-1234567890abcdef';

describe('a Workers AI run with many requests in flight and retries', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    // Slow enough answers that dozens of requests are in flight together; one in ten fails and is retried.
    // (100-150 ms left a starved CLI at load average ~24 with no more than 10 in flight: the run proved nothing.)
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, latency: '300-400ms', failRate: 0.1 });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it('adds no listener per attempt to the stop signal: no MaxListenersExceededWarning on stderr', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(250, { duplicateEvery: 0, emptyEvery: 0 }));
    let peakInFlight = 0;
    const sampler = setInterval(() => (peakInFlight = Math.max(peakInFlight, server.stats().inFlight)), 5);
    const result = await spawnCli(
      ['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--rpm', '100000', '--concurrency', '48', '--summary-json', path.join(dir, 's.json')],
      { env: workersAiEnv(server, { account: 'acct123', token: TOKEN }) },
    ).result.finally(() => clearInterval(sampler));
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, 's.json'), 'utf8')) as { totals: Totals };
    // The run did retry, and had more requests in flight than the 10 listeners Node allows.
    expect(summary.totals.retries, 'retries').toBeGreaterThan(0);
    expect(peakInFlight, 'requests in flight at once').toBeGreaterThan(10);
    expect(result.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
    // Every stderr line is a JSON log line: nothing garbles "JSON lines on stderr".
    for (const line of result.stderr.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
