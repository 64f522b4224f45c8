import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { MachineFaultError } from '../src/errors.js';
import { LocklessRun } from '../src/job/lockless-done.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { toScores, type Scorer } from '../src/scoring/scorer.js';
import { captureLog } from './support/capture-log.js';
import { tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';

const MOUNT = canMount();

/** A remote scorer (the result cache is used only for remote or token-window runs); no request leaves the process. */
const remote = (): Scorer => ({ modelId: 'workers-ai:test', endpoint: 'http://127.0.0.1:9/test', remote: true, score: async () => toScores(0.7, 0.3), close: async () => {} });
/** Each text as it is: no tokenizer to load. */
const window = { fitToWindow: (text: string) => ({ text, truncated: false, tokens: 1 }) };

/** A logger whose messages are kept, with their levels (only those: a line's time differs run to run). */
function levelsAndMessages(): { log: ReturnType<typeof captureLog>['log']; said: () => Array<{ level: number; msg: string }> } {
  const { log, lines } = captureLog('info');
  return { log, said: () => lines().map(({ level, msg }) => ({ level, msg })) };
}

/**
 * The output and the result cache on one volume mounted read-only (the container layout: /data holds both). Without
 * --cache the rerun of a completed job said "already done", exit 0; with it, it ended 74 on the cache's line, with the
 * lock's fault logged beside it ("… unless it finds the job already done"): two lines for one read-only mount, for a job
 * that needs no cache. Seen with the CLI on a tmpfs remounted read-only.
 */
describe.skipIf(!MOUNT)('a rerun without the output lock whose --cache folder the machine refuses (root: mounts a tmpfs)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n3,fine three\n');
  });
  afterAll(() => cleanup());
  const mountTmpfs = useTmpfsMounts(() => dir);
  const run = async (settings: Partial<JobSettings>) => {
    const { log, said } = levelsAndMessages();
    const ended = await runJob({ ...DEFAULTS, input, backend: 'workers-ai', progress: 'off', ...settings } as JobSettings, { log, stop: new StopController(), createScorer: remote, window }).then(
      (summary) => ({ status: summary.status, exitCode: summary.exitCode }),
      (error: unknown) => ({ error: (error as Error).message }),
    );
    return { ended, said: said() };
  };

  it('a job already done needs no cache: exit 0; one that must write gets one line, the cache said beside it only on another filesystem', async () => {
    const volume = mountTmpfs('data', '64m');
    const output = path.join(volume, 'out.csv');
    const cache = path.join(volume, 'cache');
    expect((await run({ output, cache })).ended).toEqual({ status: 'done', exitCode: 0 });
    execFileSync('mount', ['-o', 'remount,ro', volume]);

    const done = await run({ output, cache });
    expect(done.ended).toEqual({ status: 'already-done', exitCode: 0 });
    expect(done.said.filter((entry) => entry.level >= 40)).toEqual([]);

    // Another prefix must write: the lock's one line (mount it writable) covers the cache on the same mount.
    const other = await run({ output, cache, prefix: 'other' });
    expect(other.ended).toEqual({ error: expect.stringMatching(new RegExp(`^the folder ${volume} is on a read-only filesystem: mount it writable .*\\(it starts over, as the settings`)) });
    expect(other.said.filter((entry) => entry.level >= 40)).toEqual([]);

    // A cache on another read-only volume is a second fault to fix: said beside the lock's line, once.
    const elsewhere = mountTmpfs('cache-volume', '64m', 'ro');
    const apart = await run({ output, cache: path.join(elsewhere, 'cache'), prefix: 'other' });
    expect(apart.ended).toEqual({ error: expect.stringMatching(new RegExp(`^the folder ${volume} is on a read-only filesystem`)) });
    expect(apart.said.filter((entry) => entry.level >= 40)).toEqual([
      { level: 50, msg: `besides what ends this run (below), the result cache folder ${path.join(elsewhere, 'cache')} is on a read-only filesystem: mount it writable, or choose another --cache folder, or run without --cache` },
    ]);
  });
});

// Not this user's to write is a property of one folder, not of the filesystem: chown of the output's folder leaves the
// cache's refused, so the cache's fault is said beside the lock's line though both folders share a filesystem.
describe('a rerun without the output lock, both folders refused to this user', () => {
  it('says the cache folder too, beside the lock line', () => {
    const { dir, cleanup } = tempDir();
    try {
      const output = path.join(dir, 'out', 'out.csv');
      const denied = Object.assign(new Error(`EACCES: permission denied, mkdir '${output}.lock'`), { code: 'EACCES', syscall: 'mkdir', path: `${output}.lock` });
      const lockless = LocklessRun.orThrow(denied, { input: path.join(dir, 'in.csv'), output, restart: false });
      const { log, said } = levelsAndMessages();
      const cacheLine = `the result cache folder ${path.join(dir, 'cache')} is not writable by the user this job runs as`;
      lockless.keepCacheFault(new MachineFaultError('EACCES', cacheLine), path.join(dir, 'cache'), log);
      expect(() => lockless.refuseWrite(false)).toThrow(/permission denied/);
      expect(said()).toEqual([{ level: 50, msg: `besides what ends this run (below), ${cacheLine}` }]);
    } finally {
      cleanup();
    }
  });
});
