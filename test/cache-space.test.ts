import { execFileSync } from 'node:child_process';
import { existsSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, MachineFaultError, SentimentBatchError } from '../src/errors.js';
import { ResultCache } from '../src/state/cache.js';
import { cacheFolderFault, SpaceWatch } from '../src/state/cache-space.js';
import { commitFailureLine } from '../src/state/cache-commit-fault.js';
import { tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';

const MODEL = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const SCORES = { label: 'POSITIVE' as const, positive: 0.75, negative: 0.25 };
const MOUNT = canMount();

/** What opening a cache at `at` throws (undefined when it opens: then it is closed again). */
function openError(at: string): unknown {
  try {
    void ResultCache.open(at).close();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

describe('the line of a cache folder the machine refuses', () => {
  it('words each errno as every other fault line does (machine-fault.ts errnoReason), naming the folder and the setting', () => {
    const line = (code: string) => cacheFolderFault('/c', Object.assign(new Error(code), { code }))?.message;
    const advice = 'or choose another --cache folder, or run without --cache';
    expect(line('ENOSPC')).toBe(`no space left on the device holding the result cache folder /c: free some space, ${advice}`);
    expect(line('EDQUOT')).toBe(`disk quota exceeded writing the result cache folder /c: free some space, ${advice}`);
    expect(line('EIO')).toBe(`input/output error on the device holding the result cache folder /c: check the disk, ${advice}`);
    expect(line('EROFS')).toBe(`the result cache folder /c is on a read-only filesystem: mount it writable, ${advice}`);
    expect(line('ENOENT')).toBeUndefined();
  });
});

describe('the warning of a failed commit (lmdb: "Commit failed (see commitError for details)")', () => {
  it("says the commitError's reason in the fault lines' words; a disk with room left is no full disk", async () => {
    const { dir, cleanup } = tempDir('sb-commit-fault-');
    try {
      const failed = (reason: unknown) => Object.assign(new Error('Commit failed (see commitError for details)'), { commitError: Promise.reject(reason) });
      const tail = 'no more results are written to it in this run (the output is not affected';
      expect(await commitFailureLine(dir, failed(Object.assign(new Error('Input/output error'), { code: 5 })))).toBe(`writing to the result cache ${dir} failed: input/output error: ${tail}; check the disk or volume)`);
      expect(await commitFailureLine(dir, failed(Object.assign(new Error('x'), { code: 'EDQUOT' })))).toBe(`writing to the result cache ${dir} failed: disk quota exceeded: ${tail}; free some space or raise the quota)`);
      // No reason to be had: never lmdb's pointer to a promise the reader cannot see.
      expect(await commitFailureLine(dir, new Error('Commit failed (see commitError for details)'))).toBe(`writing to the result cache ${dir} failed: the store could not commit the write: ${tail})`);
    } finally {
      cleanup();
    }
  });
});

describe('the warning of a commit cut short by the file-size limit (ulimit -f)', () => {
  // LMDB says the short write as EIO, or its commit gives no reason: "input/output error … check the disk or volume"
  // was said of a healthy disk, or "the store could not commit the write" (ulimit -f 100, 2,000 rows, --cache).
  it('names the limit once the data file has grown to it', async () => {
    const { dir, cleanup } = tempDir('sb-commit-fsize-');
    try {
      writeFileSync(path.join(dir, 'data.mdb'), Buffer.alloc(102_400));
      const failed = (reason: unknown) => Object.assign(new Error('Commit failed (see commitError for details)'), { commitError: Promise.reject(reason) });
      const said = `writing to the result cache ${dir} failed: its data file reached this process's file-size limit (ulimit -f 100: 102,400 bytes): no more results are written to it in this run (the output is not affected; raise it (ulimit -f unlimited`;
      expect(await commitFailureLine(dir, failed(Object.assign(new Error('Input/output error'), { code: 5 })), 102_400)).toContain(said);
      expect(await commitFailureLine(dir, new Error('Commit failed (see commitError for details)'), 102_400)).toContain(said);
      // Under the limit, the EIO is the disk's.
      expect(await commitFailureLine(dir, failed(Object.assign(new Error('Input/output error'), { code: 5 })), 204_800)).toContain('failed: input/output error');
    } finally {
      cleanup();
    }
  });
});

describe('the figures of a disk just under the reserve', () => {
  // A 16,700 KiB tmpfs holding a store was said to have "16.0 MiB free, it needs 16.0 MiB": the same figure twice.
  it('are said in KiB when in MiB they would read the same (the reserve kept while a cache writes)', () => {
    const free = 16 * 1024 * 1024 - 4096;
    const watch = new SpaceWatch('/c', 16 * 1024 * 1024, () => 0, () => free);
    let said = '';
    expect(watch.roomToWrite((message) => (said = message))).toBe(false);
    expect(said).toMatch(/^the disk holding the result cache \/c has 16380 KiB free, under the 16384 KiB kept in reserve: /);
  });

  const { dir, cleanup } = tempDir('sb-cache-under-');
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);
  it.skipIf(!MOUNT)('are said in KiB when in MiB they would read the same (a cache opened on a 16,380 KiB disk)', () => {
    const at = mount('just-under', '16380k');
    expect(() => ResultCache.open(path.join(at, 'c'))).toThrow(/ \(16380 KiB free, it needs 16384 KiB\): free some space, /);
  });
});

describe('the result cache and its disk', () => {
  const { dir, cleanup } = tempDir('sb-cache-space-');
  afterAll(() => cleanup());

  it('a cache path that is a file, under a file, or a symbolic link to nothing (or under one) is one line with exit 2 (not a raw EEXIST/ENOTDIR/ENOENT)', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const dangling = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nowhere'), dangling);
    const pointsNowhere = `${dangling} is a symbolic link to ${path.join(dir, 'nowhere')}, which leads to no folder; create the folder it points to, or choose another --cache (in a container, a link holding an absolute path of the host leads nowhere: make it relative)`;
    for (const [at, message] of [
      [file, `--cache ${file}: ${file} is a file; --cache needs a folder (a new one, or one an earlier run made)`],
      [path.join(file, 'c'), `--cache ${file}/c: ${file} is a file, not a folder; choose another --cache`],
      [dangling, `--cache ${dangling}: ${pointsNowhere}`],
      [path.join(dangling, 'c'), `--cache ${dangling}/c: ${pointsNowhere}`],
    ] as const) {
      const error = openError(at);
      expect(error).toBeInstanceOf(SentimentBatchError);
      expect((error as SentimentBatchError).exitCode).toBe(ExitCode.Usage);
      expect((error as SentimentBatchError).message).toBe(message);
    }
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  // operator25: a named pipe or a device at the cache path (or on its way) was called "a file", as /dev/null is none.
  it('a cache path that is a named pipe or a device (or under one) names what it is: exit 2, one line', () => {
    const pipe = path.join(dir, 'a-pipe');
    execFileSync('mkfifo', [pipe]);
    for (const [at, message] of [
      [pipe, `--cache ${pipe}: ${pipe} is a named pipe; --cache needs a folder (a new one, or one an earlier run made)`],
      [path.join(pipe, 'c'), `--cache ${pipe}/c: ${pipe} is a named pipe, not a folder; choose another --cache`],
      ['/dev/null', `--cache /dev/null: /dev/null is a character device; --cache needs a folder (a new one, or one an earlier run made)`],
    ] as const) {
      const error = openError(at);
      expect(error).toBeInstanceOf(SentimentBatchError);
      expect((error as SentimentBatchError).exitCode).toBe(ExitCode.Usage);
      expect((error as SentimentBatchError).message).toBe(message);
    }
  });

  it('a disk with less free space than the reserve is a machine fault (exit 74) at open, before LMDB writes anything', () => {
    const at = path.join(dir, 'reserve');
    const free = (() => {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    })();
    expect(() => ResultCache.open(at, { minFreeBytes: free * 2 + 1 })).toThrow(MachineFaultError);
    expect(() => ResultCache.open(at, { minFreeBytes: free * 2 + 1 })).toThrow(/^no space left on the device holding the result cache .*reserve \(.* free, it needs .*\): free some space, or choose another --cache folder, or run without --cache$/);
  });

  it('a cache folder this user may not write names whom to give it to, as every other folder does (wording/not-writable.ts)', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const fault = cacheFolderFault('/data/cache', denied);
    expect(fault).toBeInstanceOf(MachineFaultError);
    expect(fault?.message).toMatch(/^the result cache folder \/data\/cache is not writable by (uid 1000, the user this container runs as|the user this job runs as \(uid \d+\): make it writable by that user \(chown \d+ \/data\/cache, or chmod\)).*, or write elsewhere \(--cache\), or run without --cache$/);
  });

  it('SpaceWatch: writes go on while the margin holds; once it does not, one warning and never again', () => {
    let now = 0;
    const warnings: string[] = [];
    const ok = new SpaceWatch(dir, 0, () => now);
    expect(ok.roomToWrite((m) => warnings.push(m))).toBe(true);
    const low = new SpaceWatch(dir, Number.MAX_SAFE_INTEGER, () => now);
    expect(low.roomToWrite((m) => warnings.push(m))).toBe(false);
    now += 1000;
    expect(low.roomToWrite((m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no more results are written to the cache in this run \(the output is not affected/);
  });

  it('SpaceWatch: a burst of writes is checked after 64 KiB, however little time has passed', () => {
    let free = 10 * 1024 * 1024;
    const warnings: string[] = [];
    const watch = new SpaceWatch(dir, 1024 * 1024, () => 0, () => free);
    expect(watch.roomToWrite((m) => warnings.push(m), 1000)).toBe(true);
    free = 512 * 1024;
    // Same instant: 64 writes of 1,000 bytes stay under the 64 KiB (65,536 bytes) between checks...
    for (let i = 0; i < 64; i++) expect(watch.roomToWrite((m) => warnings.push(m), 1000)).toBe(true);
    // ...and the write that passes it meets the check.
    expect(watch.roomToWrite((m) => warnings.push(m), 2000)).toBe(false);
    expect(warnings).toHaveLength(1);
  });

  describe.skipIf(!MOUNT)('on a small tmpfs (root)', () => {
    const mount = useTmpfsMounts(() => dir);

    it('a run of puts stops writing at the reserve instead of filling the disk (which makes LMDB crash the process)', async () => {
      const disk = mount('small', '1m');
      const warnings: string[] = [];
      const cache = ResultCache.open(path.join(disk, 'c'), { minFreeBytes: 512 * 1024, onWritesStopped: (m) => warnings.push(m) });
      // ~2,000 entries of ~250 bytes each: more than the 1 MiB disk holds.
      for (let round = 0; round < 400 && warnings.length === 0; round++) {
        for (let i = 0; i < 50; i++) cache.put(MODEL, `text ${round} ${i} ${'x'.repeat(200)}`, SCORES);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^the disk holding the result cache .* under the 512 KiB kept in reserve: no more results are written/);
      cache.put(MODEL, 'after the stop', SCORES);
      await cache.close();
      const stats = statfsSync(disk);
      expect(stats.bavail * stats.bsize).toBeGreaterThan(256 * 1024);
      // What was committed is still there.
      const again = ResultCache.open(path.join(disk, 'c'), { minFreeBytes: 0 });
      expect(again.get(MODEL, `text 0 0 ${'x'.repeat(200)}`)).toEqual(SCORES);
      expect(again.get(MODEL, 'after the stop')).toBeUndefined();
      await again.close();
    });

    it('a commit failing on a full disk is the one warning, never an unhandled rejection (lmdb drops a commit promise of its own)', async () => {
      const disk = mount('full', '256k');
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const warnings: string[] = [];
        // No reserve: the commits themselves fail (before the fix, 24 of 24 such runs died of the rejection).
        const cache = ResultCache.open(path.join(disk, 'c'), { minFreeBytes: 0, onWritesStopped: (m) => warnings.push(m) });
        for (let round = 0; round < 200 && warnings.length === 0; round++) {
          for (let i = 0; i < 200; i++) cache.put(MODEL, `text ${round} ${i} ${'x'.repeat(50)}`, SCORES);
          await cache.flush();
        }
        await new Promise((resolve) => setTimeout(resolve, 50)); // time for a dropped rejection to surface
        await cache.close();
        expect(warnings).toHaveLength(1);
        // lmdb's own words were quoted: 'failed (Commit failed (see commitError for details))' (operator31). The reason
        // is on the error's commitError: a short write, which LMDB says as EIO, on a disk with no room left.
        expect(warnings[0]).toMatch(
          /^writing to the result cache .* failed: no space left on the device \(\d+ KiB free\): no more results are written to it in this run \(the output is not affected; free some space for the next run\)$/,
        );
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    }, 15_000); // before the fix, the flush after the failed commit never settled

    it('a store that says no warning (the answer store) throws the failed commit from flush with its reason, not lmdb\'s words', async () => {
      const disk = mount('full-flush', '256k');
      const cache = ResultCache.open(path.join(disk, 'c'), { minFreeBytes: 0 });
      let thrown: unknown;
      for (let round = 0; round < 200 && thrown === undefined; round++) {
        for (let i = 0; i < 200; i++) cache.put(MODEL, `text ${round} ${i} ${'x'.repeat(50)}`, SCORES);
        await cache.flush().catch((error: unknown) => (thrown = error));
      }
      await cache.close().catch(() => undefined);
      expect((thrown as Error).message).toMatch(/^Writing to the result cache failed: no space left on the device \(\d+ KiB free\)\.$/);
    }, 15_000);

    it('a read-only filesystem is a machine fault (exit 74) naming the folder, whether the cache folder exists or not', () => {
      const ro = mount('ro', '64k', 'ro');
      for (const at of [ro, path.join(ro, 'new')]) {
        const error = openError(at);
        expect(error).toBeInstanceOf(MachineFaultError);
        expect((error as MachineFaultError).exitCode).toBe(ExitCode.MachineFault);
        expect((error as MachineFaultError).message).toBe(`the result cache folder ${at} is on a read-only filesystem: mount it writable, or choose another --cache folder, or run without --cache`);
      }
    });
  });
});
