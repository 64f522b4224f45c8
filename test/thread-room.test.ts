import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitPool, noRoomWords, poolStarted, threadRoom } from '../src/process/thread-room.js';
import { tempDir } from './support/cli.js';

/**
 * Under `docker run --pids-limit 10` Node starts with 7 threads and libuv's pool of 4 could not start at the first file
 * read: exit 139, no line (docs/container.md). cli.ts fits the pool to the cgroup's pids.max before that read, or ends
 * with exit 74 and a line naming --pids-limit; measured in Docker (cgroup v1): this file tests the reading and the sums.
 */
describe('the thread pool fitted to a process limit', () => {
  const { dir, cleanup } = tempDir('sb-thread-room-');
  afterAll(cleanup);
  const cgroup = (name: string, max: string, current: string): string => {
    const folder = path.join(dir, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'pids.max'), `${max}\n`);
    writeFileSync(path.join(folder, 'pids.current'), `${current}\n`);
    return folder;
  };

  it('fits as it is at 11 threads with 7 running; is made smaller at 10 and 8; has no room at 7', () => {
    expect(fitPool(11, 7, undefined)).toEqual({ kind: 'fits' });
    expect(fitPool(10, 7, undefined)).toEqual({ kind: 'smaller', threads: 3, max: 10 });
    expect(fitPool(8, 7, undefined)).toEqual({ kind: 'smaller', threads: 1, max: 8 });
    expect(fitPool(7, 7, undefined)).toEqual({ kind: 'none', max: 7, current: 7 });
  });

  it('takes UV_THREADPOOL_SIZE as asked, as libuv reads it (under 1 is 1; unreadable is the default 4)', () => {
    expect(fitPool(10, 7, '2')).toEqual({ kind: 'fits' });
    expect(fitPool(10, 7, '8')).toEqual({ kind: 'smaller', threads: 3, max: 10 });
    expect(fitPool(8, 7, '0')).toEqual({ kind: 'fits' });
    // 0 is a pool of 1 to libuv: not one thread free is no room for it, said (exit 74), not left to end Node with exit 139.
    expect(fitPool(7, 7, '0')).toEqual({ kind: 'none', max: 7, current: 7 });
    expect(fitPool(10, 7, 'many')).toEqual({ kind: 'smaller', threads: 3, max: 10 });
  });

  it('reads pids.max and pids.current from the first folder that has both; "max" or none is no limit', () => {
    const v1 = cgroup('v1', '10', '7');
    expect(threadRoom(undefined, [path.join(dir, 'missing'), v1])).toEqual({ kind: 'smaller', threads: 3, max: 10 });
    expect(threadRoom(undefined, [cgroup('unlimited', 'max', '7'), v1])).toEqual({ kind: 'unlimited' });
    expect(threadRoom(undefined, [path.join(dir, 'missing')])).toEqual({ kind: 'unlimited' });
    expect(threadRoom(undefined, [cgroup('full', '7', '7')], () => false)).toEqual({ kind: 'none', max: 7, current: 7 });
  });

  it('refuses no room only when the pool is known not to run yet: under Node 20 it runs before the first line', () => {
    // Node 20 reads the ES module entry through the pool: its 4 threads are in pids.current (11 of a pids.max of 11)
    // and the run needs no more; it was refused with exit 74 ("used up by the 11 running") and finishes without the check.
    const full = cgroup('full-started', '11', '11');
    const node20 = ['node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'node'];
    const node24Started = ['MainThread', 'V8Worker', 'SignalInspector', 'libuv-worker', 'libuv-worker', 'DelayedTaskSche'];
    const node24Before = ['MainThread', 'V8Worker', 'V8Worker', 'SignalInspector', 'DelayedTaskSche', 'V8Worker', 'V8Worker'];
    expect(threadRoom(undefined, [full], () => poolStarted(node20))).toEqual({ kind: 'fits' });
    expect(threadRoom(undefined, [full], () => poolStarted(node24Started))).toEqual({ kind: 'fits' });
    // Names that cannot be read (no /proc): null, as taskNames says it (undefined would read this process's own names).
    expect(poolStarted(null)).toBeUndefined();
    expect(threadRoom(undefined, [full], () => poolStarted(null))).toEqual({ kind: 'fits' });
    expect(threadRoom(undefined, [full], () => poolStarted(node24Before))).toEqual({ kind: 'none', max: 11, current: 11 });
  });

  it('names the limit and how to raise it when not one thread fits', () => {
    const words = noRoomWords({ max: 7, current: 7 });
    expect(words).toContain('pids.max 7');
    expect(words).toContain('docker run --pids-limit, at least 8, 11 and up for the default pool');
  });
});
