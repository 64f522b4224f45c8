import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pidNamespace } from '../src/process/dead-holder.js';
import { lockOutput, readOwner } from '../src/state/output-lock.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * While set, the next build of this run's own lock folder stalls that long (lockPlace, read while the folder is built):
 * a process starved of CPU, or an fsync slow on a loaded disk, between its look at the lock there and proper-lockfile's.
 */
const stall = vi.hoisted(() => ({ ms: 0 }));
vi.mock('../src/state/lock-owner.js', async (original) => {
  const real = await original<typeof import('../src/state/lock-owner.js')>();
  return {
    ...real,
    lockPlace: async (lockPath: string) => {
      const ms = stall.ms;
      stall.ms = 0;
      if (ms > 0) await delay(ms);
      return real.lockPlace(lockPath);
    },
  };
});

const plant = (output: string, owner: object) => {
  mkdirSync(`${output}.lock`);
  writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify(owner));
};

/**
 * A lock still fresh when the run looks at it, and stale by the time proper-lockfile does (the run stalled in between):
 * proper-lockfile takes it over on its first try. The takeover was reported with no reason and no holder (so no log
 * line), as 'silent' was looked for only in an age read before the take (test/output-lock.test.ts failed so at load 30).
 */
describe('a lock turning stale while the run builds its own', () => {
  const dir = useTempDir();
  afterEach(() => {
    stall.ms = 0;
  });

  it('a holder that cannot be checked (another PID namespace) is taken over as silent, and named', async () => {
    const output = dir.path('out.csv');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    plant(output, { tool: 'sentiment-batch', host: hostname(), pid: gone, pidNs: 'pid:[1]', since: new Date().toISOString() });
    // 2 s: proper-lockfile's shortest stale time. The lock is 2.3 s old when proper-lockfile looks, well under it when this run does.
    stall.ms = 2_300;
    const lock = await lockOutput(output, { staleMs: 2_000 });
    expect(lock.tookOverBecause).toBe('silent');
    expect(lock.tookOverFrom).toMatchObject({ pid: gone, pidNs: 'pid:[1]' });
    expect(await readOwner(lock.lockPath)).toMatchObject({ host: hostname(), pid: process.pid });
    await lock.release();
  });

  it('a holder of this host and namespace whose process is gone is taken over as gone', async () => {
    const output = dir.path('out.csv');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const pidNs = pidNamespace();
    plant(output, { tool: 'sentiment-batch', host: hostname(), pid: gone, ...(pidNs ? { pidNs } : {}), since: new Date().toISOString() });
    stall.ms = 2_300;
    const lock = await lockOutput(output, { staleMs: 2_000 });
    expect(lock.tookOverBecause).toBe('gone');
    expect(lock.tookOverFrom).toMatchObject({ pid: gone });
    await lock.release();
  });
});
