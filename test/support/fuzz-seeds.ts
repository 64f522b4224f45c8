import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { runFuzzCase, type FuzzMode } from './bytes-fuzz.js';
import { builtCli } from './cli.js';
import { useTempDir } from './e2e-dir.js';
import { TestScorer } from './test-scorer.js';

/**
 * One test per seed of the byte-for-byte fuzz (bytes-fuzz.ts), with a project server (the test scorer) for the
 * seeds that run through `serve`. Call inside a describe. A failure shows the case's features and its commands.
 */
export function fuzzSeeds(seeds: ReadonlyArray<[number, FuzzMode]>): void {
  const { path: inDir } = useTempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server.close();
  });
  it.each(seeds)('seed %i (%s)', { timeout: 180_000 }, async (seed, mode) => {
    const result = await runFuzzCase(seed, { cli: builtCli(), dir: inDir(''), serveUrl: server.baseURL, mode });
    expect(result.problems, `${result.export.features.join(', ')}\n${result.commands.join('\n')}`).toEqual([]);
  });
}
