/**
 * A signal once every row is written, as the run completes its output (the final rename onto the output's path):
 * nothing is left to stop, and the run completes, `Done`, exit 0. Its log line said `stopping: finishing requests in
 * flight, then saving the checkpoint` (operator5, 2026-12-05: SIGTERM, SIGINT and SIGHUP sent just before that
 * rename, 3,000 rows against `serve`), announcing a stop and a checkpoint that never came.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';

const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');
const { dir, cleanup } = tempDir('sb-signal-at-seal-');
afterAll(cleanup);

describe('a signal as the run completes its output', () => {
  it('says the output is being completed, not that the run stops and saves a checkpoint; exit 0, the output whole', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(200));
    const alone = path.join(dir, 'alone.csv');
    expect((await runCli(['score', input, '-o', alone, '--backend', 'embedded', '--text-column', 'review'])).code).toBe(0);
    const output = path.join(dir, 'out.csv');
    const env = { NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before', SB_TEST_KILL_RENAME_SIGNAL: 'SIGTERM', SB_TEST_KILL_RENAME_ONCE: '1' };
    const result = await runCli(['score', input, '-o', output, '--backend', 'embedded', '--text-column', 'review', '--log-format', 'json'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Done: /);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { signal?: string; msg: string });
    const said = lines.find((line) => line.signal === 'SIGTERM');
    expect(said?.msg).toBe('every row is written: completing the output, then stopping there');
    expect(readFileSync(output).equals(readFileSync(alone))).toBe(true);
  });
});
