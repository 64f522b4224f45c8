import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * What a power cut leaves rests on the order of fsyncs and renames, which no run's output shows: a checkpoint renamed
 * into place before its bytes reached the disk may be empty or torn after the cut (the next run cannot resume), and a
 * checkpoint that counts bytes of the partial output not yet fsynced sends the next run past rows that are not there.
 * Removing the fsync of the checkpoint's temp file (state/atomic-write.ts) or of the partial output before a checkpoint
 * (io/output-file.ts) failed no test. The CLI runs here under test/support/sync-order.mjs, which notes each rename of a
 * file with writes not fsynced since, and each checkpoint that promises more of the partial output than was fsynced.
 */
describe('fsync before rename: what a checkpoint and the output promise is on the disk first (built CLI)', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();

  const hook = path.join(REPO_ROOT, 'test/support/sync-order.mjs');
  /** Runs the CLI under the hook; its notes, each path made relative to `dir`. */
  const watched = async (name: string, args: string[], env: Record<string, string> = {}) => {
    const notes = path.join(dir, `${name}.sync.log`);
    writeFileSync(notes, '');
    const run = await runCli(args, { env: { ...env, NODE_OPTIONS: `--import ${hook}`, SB_TEST_SYNC_LOG: notes } });
    const lines = readFileSync(notes, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replaceAll(`${dir}${path.sep}`, '').replace(/\.tmp-\d+/g, '.tmp'));
    return { run, renames: lines.filter((line) => line.startsWith('rename ')), faults: lines.filter((line) => !line.startsWith('rename ')) };
  };

  it('an embedded run: every checkpoint and the output renamed only once fsynced', async () => {
    const input = path.join(dir, 'embedded.csv');
    writeFileSync(input, syntheticCsv(1_000));
    const { run, renames, faults } = await watched('embedded', ['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', path.join(dir, 'embedded.out.csv'), '--checkpoint-interval', '100ms']);
    expect(run.code, run.stderr).toBe(0);
    // The hook saw the renames it judges: not a pass for want of any.
    expect(renames).toContain('rename embedded.out.csv.checkpoint.json.tmp -> embedded.out.csv.checkpoint.json');
    expect(renames).toContain('rename embedded.out.csv.partial -> embedded.out.csv');
    expect(faults).toEqual([]);
  });

  it('a Workers AI run paused by its request budget, then resumed: the same at the pause and after the resume', async () => {
    const input = path.join(dir, 'paused.csv');
    writeFileSync(input, syntheticCsv(60, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'paused.out.csv'), '--rpm', '100000', '--checkpoint-interval', '100ms'];
    const env = workersAiEnv(server);
    const paused = await watched('paused', [...args, '--max-requests', '20'], env);
    expect(paused.run.code, paused.run.stderr).toBe(75);
    expect(paused.renames).toContain('rename paused.out.csv.checkpoint.json.tmp -> paused.out.csv.checkpoint.json');
    expect(paused.faults).toEqual([]);
    const resumed = await watched('resumed', args, env);
    expect(resumed.run.code, resumed.run.stderr).toBe(0);
    expect(resumed.renames).toContain('rename paused.out.csv.partial -> paused.out.csv');
    expect(resumed.faults).toEqual([]);
  });
});
