import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';

/**
 * The wall clock stepped forward while a run works (NTP stepping a drifted clock, `date -s`, a VM resumed): the
 * summary's elapsed time is the run's own, not the step (faketime against `serve`, 3 h forward 12 s into a 40 s run:
 * "elapsed 3 h 0 min", and `elapsedSeconds` 10,840 in --summary-json, which `report` shows as the run's duration).
 */
describe('a wall clock stepped forward mid-run', () => {
  const temp = useTempDir();

  it('leaves the summary\'s elapsed time the run\'s own', async () => {
    const input = temp.file('in.csv', syntheticCsv(300));
    const summary = temp.path('summary.json');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', temp.path('out.csv'), '--summary-json', summary], {
      env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/clock-step.mjs')}`, SB_TEST_CLOCK_STEP_MS: String(3 * 3_600_000), SB_TEST_CLOCK_STEP_AT: '.partial' },
    });
    expect(result.code).toBe(0);
    const elapsed = (JSON.parse(readFileSync(summary, 'utf8')) as { elapsedSeconds: number }).elapsedSeconds;
    expect(elapsed).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(600);
    // In milliseconds, as the wall clock's difference gave it: performance.now()'s fraction wrote 0.77078056799999.
    expect(elapsed).toBe(Math.round(elapsed * 1000) / 1000);
    expect(result.stdout).not.toMatch(/elapsed \d+ h/);
  });
});
