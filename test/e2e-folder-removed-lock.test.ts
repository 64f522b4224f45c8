import { existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, tempDir, waitFor } from './support/cli.js';

/**
 * The output's folder removed while a run works (a clean-up script, a volume unmounted and its mount point removed):
 * the lock's heartbeat, every 5 s, was the first to notice, and ended the run with exit 75, "lost the lock …; another
 * run may be writing this output", sending the operator after a second run that did not exist, where exit-codes.md
 * says a folder removed while the job ran is 74 (the same command makes it again and starts over). The heartbeat's
 * stop now says the folder is gone, as a write into it would, exit 74. A checkpoint every hour and an embedded run
 * long enough for a heartbeat after the removal (the rename at its end would say it first otherwise).
 */
describe('the output folder removed while the run works', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('the lock\'s heartbeat says the folder is gone: exit 74, not 75 "another run may be writing"', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 300_000 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const folder = path.join(dir, 'out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const run = spawnCli(['score', input, '-o', output, '--backend', 'embedded', '--checkpoint-interval', '1h', '--log-level', 'warn']);
    await waitFor(() => existsSync(`${output}.partial`), 60_000, 'the run to start writing');
    // Retried: the run may make a file in it meanwhile (ENOTEMPTY).
    rmSync(folder, { recursive: true, force: true, maxRetries: 20, retryDelay: 5 });
    const result = await run.result;
    expect(result.stderr).not.toMatch(/lost the lock|another run may be writing/);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `sentiment-batch: the folder ${folder} does not exist any more: it was removed while the command ran; run the same command again: it makes the folder again and starts over (a checkpoint kept in that folder went with it)`,
    );
    expect(result.code).toBe(74);
  }, 120_000);
});
