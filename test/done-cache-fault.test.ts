import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { ScoringError } from '../src/errors.js';
import { StopController } from '../src/job/stop.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { captureLog } from './support/capture-log.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { canMount, useTmpfsMounts } from './support/mount.js';

const MOUNT = canMount();

/** A remote scorer (the result cache is used only for remote or token-window runs) counting its requests; none leaves the process. */
function remote(failing?: string): Scorer & { sent: () => number } {
  let sent = 0;
  return {
    modelId: 'workers-ai:test',
    endpoint: 'http://127.0.0.1:9/test',
    remote: true,
    score: async (text: string) => {
      sent += 1;
      if (text === failing) throw new ScoringError('retry', 'http_500', 'server error', { status: 500 });
      return toScores(0.7, 0.3);
    },
    close: async () => {},
    sent: () => sent,
  };
}
/** Each text as it is: no tokenizer to load. */
const window = { fitToWindow: (text: string) => ({ text, truncated: false, tokens: 1 }) };

/**
 * A completed job run again (a nightly command) holds its output's lock, but the disk of its --cache folder has fallen
 * under the 16 MiB the cache needs free (other files filled it, or a run filled it to its reserve), or that folder's
 * volume is now read-only. The job is done and reads nothing from the cache: it ended 74 on the cache's line, where
 * without --cache the same rerun said "already done", exit 0 (fuzz32, with the CLI: a 20 MiB tmpfs cache filled to
 * 15.0 MiB free after the job completed). A run that must score (another --prefix starts over) still ends 74 on that
 * line, before any request.
 */
describe.skipIf(!MOUNT)('a completed job whose --cache disk is under its reserve or read-only (root: mounts a tmpfs)', () => {
  const { dir, file } = useFileTempDir();
  const input = file('in.csv', 'id,text\n1,good one\n2,bad two\n3,fine three\n');
  const mountTmpfs = useTmpfsMounts(() => dir);
  const run = async (settings: Partial<JobSettings>, failing?: string) => {
    const scorer = remote(failing);
    const { log, lines } = captureLog('info');
    const ended = await runJob({ ...DEFAULTS, input, backend: 'workers-ai', progress: 'off', ...settings } as JobSettings, { log, stop: new StopController(), createScorer: () => scorer, window }).then(
      (summary) => ({ status: summary.status, exitCode: summary.exitCode }),
      (error: unknown) => ({ error: (error as Error).message }),
    );
    return { ended, sent: scorer.sent(), warned: lines().filter((line) => line.level >= 40).map((line) => line.msg) };
  };

  it('says already done, exit 0; a run that must score ends 74 on the cache line before any request', async () => {
    const output = path.join(dir, 'out.csv');
    const volume = mountTmpfs('cache-volume', '20m');
    const cache = path.join(volume, 'cache');
    expect(await run({ output, cache })).toMatchObject({ ended: { status: 'done', exitCode: 0 }, sent: 3 });

    // Other files leave the cache's disk 15 MiB free, under its 16 MiB reserve.
    writeFileSync(path.join(volume, 'filler'), Buffer.alloc(5 * 1024 * 1024));
    expect(await run({ output, cache })).toMatchObject({ ended: { status: 'already-done', exitCode: 0 }, sent: 0 });
    const other = await run({ output, cache, prefix: 'other' });
    expect(other.ended).toEqual({ error: expect.stringMatching(/^no space left on the device holding the result cache .*\(1[45]\.\d MiB free, it needs 16\.0 MiB\)/) });
    // Nothing announced nor written for the start over it did not make (the answers of its output kept, the line said).
    expect(other).toMatchObject({ sent: 0, warned: [] });
    expect(readdirSync(dir).filter((name) => name.startsWith('out.csv'))).toEqual(['out.csv', 'out.csv.checkpoint.json']);

    // The cache's volume mounted read-only, the output's folder writable.
    rmSync(path.join(volume, 'filler'));
    execFileSync('mount', ['-o', 'remount,ro', volume]);
    expect(await run({ output, cache })).toMatchObject({ ended: { status: 'already-done', exitCode: 0 }, sent: 0 });
    expect((await run({ output, cache, prefix: 'other' })).ended).toEqual({ error: expect.stringMatching(/result cache folder .* is on a read-only filesystem/) });
  });

  // Only a machine fault waits for the run to know it must score: a --cache that names a file is the command's error,
  // exit 2 at once, already done or not (KeptCacheFault.keep).
  it('a --cache naming a file is refused at once, the job already done or not', async () => {
    const output = path.join(dir, 'named.csv');
    expect(await run({ output })).toMatchObject({ ended: { status: 'done', exitCode: 0 }, sent: 3 });
    const cache = file('a-file', 'not a folder\n');
    const again = await run({ output, cache });
    expect(again).toMatchObject({ ended: { error: expect.stringContaining(cache) }, sent: 0 });
  });

  it('a completed job with a row to mend ends 74 on the cache line before the mend sends it', async () => {
    const output = path.join(dir, 'mend.csv');
    const volume = mountTmpfs('mend-cache-volume', '20m');
    const cache = path.join(volume, 'cache');
    // One row failed transiently: the job completes (under --max-error-rate 0.5), the next run mends it.
    expect(await run({ output, cache, maxAttempts: 1, maxErrorRate: 0.5 }, 'bad two')).toMatchObject({ ended: { status: 'done', exitCode: 0 }, sent: 3 });
    writeFileSync(path.join(volume, 'filler'), Buffer.alloc(5 * 1024 * 1024));
    expect(await run({ output, cache, maxErrorRate: 0.5 })).toMatchObject({ ended: { error: expect.stringMatching(/^no space left on the device holding the result cache /) }, sent: 0 });
    rmSync(path.join(volume, 'filler'));
    expect(await run({ output, cache, maxErrorRate: 0.5 })).toMatchObject({ ended: { status: 'done', exitCode: 0 }, sent: 1 });
  });
});
