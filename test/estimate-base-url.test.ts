import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';

// The result cache keys Workers AI's answers by the address that gave them (` at <base URL>` when it is not the real
// service's), and estimate counts the cached texts under the address the run would use: CLOUDFLARE_BASE_URL's, or a
// job file's "baseUrl". `--base-url` itself was refused, "an option of score that estimate does not use", so a run
// made with it (an AI Gateway, `serve`) could not be estimated with the same flags, and without the flag its
// estimate counted none of that run's cached texts.
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const CREDENTIALS = { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' };

describe('estimate --base-url', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('counts the texts a run through that address left in the cache, as the same command sends none', async () => {
    const cache = path.join(dir, 'cache');
    const flags = ['--text-column', 'review', '--cache', cache, '--base-url', server.baseURL];
    const score = await runCli(['score', INPUT, ...flags, '-o', path.join(dir, 'out.csv'), '--rpm', '100000'], { env: CREDENTIALS });
    expect(score.code, score.stderr).toBe(0);
    expect(server.stats().total).toBe(27);

    const estimate = await runCli(['estimate', INPUT, ...flags, '--json'], { env: CREDENTIALS });
    expect(estimate.stderr).toBe('');
    expect(estimate.code).toBe(0);
    expect(JSON.parse(estimate.stdout) as { uniqueTexts: number; alreadyCached: number; requests: number }).toMatchObject({
      uniqueTexts: 27,
      alreadyCached: 27,
      requests: 0,
    });
    // An estimate sends nothing, to that address either.
    expect(server.stats().total).toBe(27);
  });

  // estimate --help lists it: test/e2e-flags.test.ts.
});
