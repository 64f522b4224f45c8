import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

/**
 * A process that exits at once on a signal while it builds its output lock: a second signal, or a first one that
 * came before the job's handler was in place (the early words, --summary-json, are written while the job goes on
 * starting). Seen in the kill soak (seed 1356978390, a SIGTERM 349 ms into a run): the half-built
 * `<output>.lock.new-PID-HEX`, empty, stayed beside the output through three later runs, which keep an empty one
 * for 30 s (another host's run may be about to write its owner file).
 */
describe('a signal while the output lock is built', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('exits 130 and leaves no half-built lock folder (nor anything else)', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great stay\n2,awful room\n');
    const output = path.join(dir, 'out.csv');
    const hook = path.join(REPO_ROOT, 'test/support/signal-at-lock-build.mjs');
    const stopped = await runCli(['score', input, '--text-column', 'review', '-o', output], { env: { NODE_OPTIONS: `--import ${hook}` } });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('second SIGTERM, exiting now');
    expect(readdirSync(dir).sort()).toEqual(['in.csv']);
  });
});
