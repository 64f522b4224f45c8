/**
 * An output folder reached through a symbolic link that is switched to another target while the run works (`ln -sfn
 * release-2 out`, a deploy's "current" link, a scheduled job's dated folder). Found 2026-12-07 (operator31): the
 * partial output's open file stayed in the old folder while each checkpoint and the final rename went through the link
 * to the new one: exit 74 "the partial output out/x.csv.partial was removed or replaced while the run worked", the
 * rows written lost (paid again by the rerun), the lock left behind in the old folder. The run now resolves the
 * folder once, when it starts, and finishes there (paths/settled-output.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

describe('an output folder whose symbolic link is switched mid-run', () => {
  const servers = useTestServer();
  let cleanup = (): void => undefined;
  afterEach(() => cleanup());

  it('the run finishes in the folder it started in: exit 0, every row once, nothing left behind', async () => {
    const made = tempDir('sb-link-switch-');
    cleanup = made.cleanup;
    const dir = made.dir;
    const server = await servers.start({ latency: '10ms' });
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(300, { duplicateEvery: 0, emptyEvery: 0 }));
    mkdirSync(path.join(dir, 'release-1'));
    mkdirSync(path.join(dir, 'release-2'));
    symlinkSync('release-1', path.join(dir, 'out'));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'out', 'x.csv'), '--concurrency', '2', '--rpm', '60000', '--checkpoint-interval', '100ms', '--progress', 'off'];
    const child = spawnCli(args, { env: workersAiEnv(server) });
    await waitWhileRunning(child, () => server.stats().total >= 40, '40 requests');
    // What `ln -sfn release-2 out` does: a new link renamed over the old one.
    symlinkSync('release-2', path.join(dir, 'out.new'));
    renameSync(path.join(dir, 'out.new'), path.join(dir, 'out'));
    const run = await child.result;
    expect(run.stderr).not.toMatch(/removed or replaced/);
    expect(run.code).toBe(0);
    expect(server.stats().total).toBe(300);
    expect(readdirSync(path.join(dir, 'release-1')).sort()).toEqual(['x.csv', 'x.csv.checkpoint.json']);
    expect(readFileSync(path.join(dir, 'release-1', 'x.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(301);
    expect(readdirSync(path.join(dir, 'release-2'))).toEqual([]);
    // The next run through the link works in the new folder, as a job of its own.
    const again = await runCli(args, { env: workersAiEnv(server) });
    expect(again.code).toBe(0);
    expect(existsSync(path.join(dir, 'release-2', 'x.csv'))).toBe(true);
  }, 60_000);
});
