import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// Each range check at its edge: the largest value taken, the next one refused (exit 2, the line naming the limit).
// Only values far past a limit were tested (--rpm 999999999999), so a limit off by one went unseen.
describe('option limits at their edge (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('sb-bounds-'));
    input = path.join(dir, 'in.csv');
    writeFileSync(input, 'text\ngood film\nbad film\n');
  });
  afterEach(() => cleanup());

  it('--rpm 1000000 is taken (the estimate times it), --rpm 1000001 is refused', async () => {
    const taken = await runCli(['estimate', input, '--rpm', '1000000']);
    expect(taken.code).toBe(0);
    expect(taken.stdout).toContain('time at 1,000,000 requests/min');
    for (const args of [['estimate', input], ['score', input, '-o', path.join(dir, 'out.csv')]]) {
      const refused = await runCli([...args, '--rpm', '1000001']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe("sentiment-batch: --rpm expects a positive integer of at most 1,000,000, got '1000001'\n");
    }
  });
});
