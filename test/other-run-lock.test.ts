import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidNamespace } from '../src/process/dead-holder.js';
import { otherRunsLock, otherRunsLockSync } from '../src/state/other-run-lock.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * Whose lock is at an output's lock path (state/other-run-lock.ts): another run's is left alone by this run's release
 * and its removal at exit (output-lock.ts), and makes a removed partial output the lost lock's line (job/removed-partial.ts).
 * Both answers, the one at exit (synchronous) and the other, are asked of the same owners, one field changed at a time:
 * a mutation of either that took another run's lock for this one's (or this one's for another's) passed every test
 * (testgap11), as the tests only asked the asynchronous one, of a pid that differed.
 */
describe("another run's lock, told from this process's own", () => {
  const files = useTempDir();
  const lockWith = (owner: Record<string, unknown>): string => {
    const lockPath = files.path('out.csv.lock');
    mkdirSync(lockPath, { recursive: true });
    writeFileSync(path.join(lockPath, 'owner.json'), `${JSON.stringify({ tool: 'sentiment-batch', since: new Date().toISOString(), ...owner })}\n`);
    return lockPath;
  };
  const both = async (lockPath: string): Promise<[boolean, boolean]> => [(await otherRunsLock(lockPath)) !== undefined, otherRunsLockSync(lockPath) !== undefined];
  const pidNs = pidNamespace();

  it("this process's own lock, with its namespace or without one (an older version's): not another run's", async () => {
    expect(await both(lockWith({ host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}) }))).toEqual([false, false]);
    expect(await both(lockWith({ host: hostname(), pid: process.pid }))).toEqual([false, false]);
  });

  it("another pid, another host with this pid, or this pid in another PID namespace: another run's", async () => {
    expect(await both(lockWith({ host: hostname(), pid: process.pid + 1, ...(pidNs ? { pidNs } : {}) }))).toEqual([true, true]);
    expect(await both(lockWith({ host: `${hostname()}-elsewhere`, pid: process.pid, ...(pidNs ? { pidNs } : {}) }))).toEqual([true, true]);
    // Only where this process knows its own namespace (Linux) can a lock name another one.
    if (pidNs) expect(await both(lockWith({ host: hostname(), pid: process.pid, pidNs: 'pid:[1]' }))).toEqual([true, true]);
  });

  it('no lock, no owner file, an owner file that names no holder, or a file at the lock path: no run to leave it to', async () => {
    const lockPath = files.path('out.csv.lock');
    expect(await both(lockPath)).toEqual([false, false]);
    mkdirSync(lockPath);
    expect(await both(lockPath)).toEqual([false, false]);
    writeFileSync(path.join(lockPath, 'owner.json'), '{"tool":"sentiment-batch"');
    expect(await both(lockPath)).toEqual([false, false]);
    const fileThere = files.file('other.csv.lock', 'not a folder');
    expect(await both(fileThere)).toEqual([false, false]);
  });
});
