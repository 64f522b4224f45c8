import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { lockOutput, readOwner } from '../src/state/output-lock.js';
import { REPO_ROOT, tempDir } from './support/cli.js';

// Operator review: `cp -r` of a job folder taken while its job ran copied the output's lock with it, and a run on the
// copy exited 75 "another run is writing <copy> (pid P)" although P writes the original, not the copy.

/** The stale time the holders here and the runs taking the lock use: a heartbeat every 0.5 s. */
const STALE_MS = 3_000;

/** Another process of this host and PID namespace holding the lock of `output` as a run does (the built module). */
async function holdLock(output: string, staleMs: number): Promise<ChildProcess> {
  const module = path.join(REPO_ROOT, 'dist/src/state/output-lock.js');
  const script = `const { lockOutput } = await import(${JSON.stringify(module)}); await lockOutput(process.argv[1], { staleMs: ${staleMs} }); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, output], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before taking the lock`)));
  });
  return child;
}

describe('a lock copied with its job folder', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  const jobFolder = () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(path.join(dir, 'job'));
    return dir;
  };
  const holderIn = async (output: string, staleMs = STALE_MS) => {
    const holder = await holdLock(output, staleMs);
    cleanups.push(() => holder.kill('SIGKILL'));
    return holder;
  };
  /** A holder running in job/, then job/ copied to copy/ with its lock (`cp -r` while the job runs). */
  const copiedWhileHeld = async () => {
    const dir = jobFolder();
    const output = path.join(dir, 'job', 'out.csv');
    const holder = await holderIn(output);
    cpSync(path.join(dir, 'job'), path.join(dir, 'copy'), { recursive: true });
    return { output, holder, copied: path.join(dir, 'copy', 'out.csv') };
  };

  it('is not the copy output\'s lock: a run on the copy takes it over, and the original still refuses a second run', async () => {
    const { output, holder, copied } = await copiedWhileHeld();
    expect(await readOwner(`${copied}.lock`)).toMatchObject({ pid: holder.pid });

    const lock = await lockOutput(copied, { staleMs: STALE_MS });
    expect(lock.tookOverBecause).toBe('copied');
    expect(lock.tookOverFrom).toMatchObject({ pid: holder.pid });
    expect(await readOwner(lock.lockPath)).toMatchObject({ pid: process.pid });
    await lock.release();

    const refused = await lockOutput(output, { staleMs: STALE_MS }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SentimentBatchError);
    expect((refused as SentimentBatchError).exitCode).toBe(ExitCode.Paused);
    expect((refused as Error).message).toContain(`another run is writing ${output} (host `);
    expect((refused as Error).message).toContain(`pid ${holder.pid}, since`);
    expect(await readOwner(`${output}.lock`)).toMatchObject({ pid: holder.pid });
  });

  // A copy whose heartbeat (the folder's mtime) is older than the stale time is taken over by the stale rule before the
  // copy test is reached: the log line said "silent for over 30 s (gone on another host or container, or frozen)".
  it('one already silent for the stale time is taken over as before, and said to be a copy', async () => {
    const { output, holder, copied } = await copiedWhileHeld();
    const old = new Date(Date.now() - 2 * STALE_MS);
    utimesSync(`${copied}.lock`, old, old);
    const lock = await lockOutput(copied, { staleMs: STALE_MS });
    expect(lock.tookOverBecause).toBe('copied');
    expect(lock.tookOverFrom).toMatchObject({ pid: holder.pid });
    expect(await readOwner(lock.lockPath)).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(await readOwner(`${output}.lock`)).toMatchObject({ pid: holder.pid });
  });

  // A filesystem that numbers a folder anew once it leaves the cache (vfat, some FUSE and overlay mounts): the identity
  // recorded may then differ from the one read; the folder's place has not changed, and that is the held lock.
  it('one whose recorded identity differs but not its place is the held lock: refused with exit 75 at once', async () => {
    const dir = jobFolder();
    const output = path.join(dir, 'job', 'out.csv');
    const holder = await holderIn(output);
    const owner = rewriteOwner(output, (recorded) => {
      expect(recorded.lockId).toMatch(/^\d+:\d+$/);
      expect(recorded.lockAt).toBe(`${realpathSync(path.join(dir, 'job'))}/out.csv.lock`);
      return { ...recorded, lockId: '1:2' };
    });
    const started = Date.now();
    const refused = await lockOutput(output, { staleMs: 600_000 }).catch((error: unknown) => error);
    expect((refused as SentimentBatchError).exitCode).toBe(ExitCode.Paused);
    // Not watched: a wait would have lasted a third of the 10 minutes.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readOwner(`${output}.lock`)).toEqual(expect.objectContaining({ pid: holder.pid, lockId: '1:2', since: owner.since }));
  });

  // The same filesystem reached by two paths (a bind mount): identity and place both differ, and only the heartbeat
  // tells. A live holder's moves: it is refused. (A heartbeat every 2 s here, which a loaded machine does not miss.)
  it('one whose identity and place both differ but whose holder refreshes it is the held lock: refused with exit 75', async () => {
    const dir = jobFolder();
    const output = path.join(dir, 'job', 'out.csv');
    const holder = await holderIn(output, 12_000);
    rewriteOwner(output, (recorded) => ({ ...recorded, lockId: '1:2', lockAt: '/elsewhere/job/out.csv.lock' }));
    const refused = await lockOutput(output, { staleMs: 12_000 }).catch((error: unknown) => error);
    expect((refused as SentimentBatchError).exitCode).toBe(ExitCode.Paused);
    expect(await readOwner(`${output}.lock`)).toMatchObject({ pid: holder.pid, lockId: '1:2' });
  });

  it('a copied lock of an older version (no identity recorded) is refused as before while its holder runs', async () => {
    const { holder, copied } = await copiedWhileHeld();
    rewriteOwner(copied, ({ lockId: _id, lockAt: _at, ...older }) => older);
    const refused = await lockOutput(copied, { staleMs: STALE_MS }).catch((error: unknown) => error);
    expect((refused as SentimentBatchError).exitCode).toBe(ExitCode.Paused);
    expect((refused as Error).message).toContain(`pid ${holder.pid}, since`);
  });
});

type Recorded = Record<string, unknown> & { lockId?: string; lockAt?: string; since: string };

/** Rewrites the owner file of the lock of `output` (its folder's mtime, the heartbeat, is not touched); returns what it held. */
function rewriteOwner(output: string, change: (recorded: Recorded) => object): Recorded {
  const ownerFile = path.join(`${output}.lock`, 'owner.json');
  const recorded = JSON.parse(readFileSync(ownerFile, 'utf8')) as Recorded;
  writeFileSync(ownerFile, JSON.stringify(change(recorded)));
  return recorded;
}
