import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');

/**
 * A continued job (grown-input.ts) killed between the checkpoint that completes it and the rename of its partial output
 * over the output, and the export grown again before the next run: the checkpoint is of the completed job of the grown
 * file, the output at its path the earlier one. Proven against that earlier output, its length disagreed and the job
 * was scored afresh: every row the killed run had answered paid again. The complete partial output is continued now.
 */
describe('a continued job killed before its rename, its export grown again, is continued from its partial output', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it('only the rows appended since are sent; the output is a fresh run of the last file', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const score = (input: string, output: string, extra: Record<string, string> = {}) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env: { ...env, ...extra } });
    const fresh = dir.path('fresh.csv');
    expect((await score(dir.file('fresh-in.csv', syntheticCsv(160)), fresh)).code).toBe(0);
    running.reset();
    const lastRows = dir.path('last-rows.csv');
    // What the rows appended the second time cost when sent alone (a fresh run dedupes them against the others).
    expect((await score(dir.file('last-in.csv', syntheticCsv(160).split('\n').slice(121).join('\n').replace(/^/, 'id,review,stars\n')), lastRows)).code).toBe(0);
    const lastCost = running.stats().total;

    const input = dir.file('in.csv', syntheticCsv(80));
    const output = dir.path('out.csv');
    expect((await score(input, output)).code).toBe(0);
    const oldBytes = readFileSync(output);
    writeFileSync(input, syntheticCsv(120));
    const killed = await score(input, output, { NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before' });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(output).equals(oldBytes)).toBe(true);

    writeFileSync(input, syntheticCsv(160));
    running.reset();
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/afresh|starting over/);
    expect(rerun.stderr).toMatch(/Continuing:/);
    expect(running.stats().total).toBe(lastCost);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });

  it('a first job killed before its rename (no output at its path yet), its export grown: continued from the partial output', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const score = (input: string, output: string, extra: Record<string, string> = {}) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env: { ...env, ...extra } });
    const fresh = dir.path('fresh.csv');
    expect((await score(dir.file('fresh-in.csv', syntheticCsv(120)), fresh)).code).toBe(0);
    running.reset();
    expect((await score(dir.file('last-in.csv', `id,review,stars\n${syntheticCsv(120).split('\n').slice(81).join('\n')}`), dir.path('last-rows.csv'))).code).toBe(0);
    const lastCost = running.stats().total;

    const input = dir.file('in.csv', syntheticCsv(80));
    const output = dir.path('out.csv');
    const killed = await score(input, output, { NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(output)).toBe(false);
    writeFileSync(input, syntheticCsv(120));
    running.reset();
    const rerun = await score(input, output);
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/Continuing:/);
    expect(running.stats().total).toBe(lastCost);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });
});
