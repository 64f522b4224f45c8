import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import path from 'node:path';

/**
 * `estimate --json`'s `costUsd` is the cost beyond the free daily allocation, the run's `estimatedCostUsd` the cost at
 * list price, before it: two fields named alike for two things, so a script comparing them saw $0 predicted and
 * $0.0000116 spent. Both are in estimate's JSON now under names that say which (`costUsd` kept, the same as
 * `costUsdBeyondFreeAllowance`), and `costUsdAtListPrice` is what the run's `estimatedCostUsd` says.
 */
describe('estimate --json: the cost at list price and beyond the free allocation, named', () => {
  it.each([
    ['Workers AI', { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' }],
    ['the embedded model (ifWorkersAi)', {}],
  ])('%s', async (name, env) => {
    const result = await runCli(['estimate', path.join(REPO_ROOT, 'fixtures/reviews.csv'), '--text-column', 'review', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const estimate = JSON.parse(result.stdout) as Record<string, unknown> & { ifWorkersAi?: Record<string, unknown> };
    const priced = name === 'Workers AI' ? estimate : estimate.ifWorkersAi!;
    const neurons = priced['neurons'] as number;
    expect(neurons).toBeGreaterThan(1);
    // 0.011 dollars per 1,000 neurons, as the run's estimatedCostUsd; nothing beyond today's free 10,000.
    expect(priced['costUsdAtListPrice']).toBeCloseTo((neurons / 1000) * 0.011, 12);
    expect(priced['costUsdBeyondFreeAllowance']).toBe(0);
    expect(priced['costUsd']).toBe(0);
  });
});
