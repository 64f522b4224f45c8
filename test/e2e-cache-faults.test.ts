import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const MOUNT = canMount();

/**
 * `--cache` on a disk the machine refuses: one line and exit 74 (a wrong path:
 * exit 2), a fresh --summary-json, and nothing left beside the output. Before,
 * a full disk crashed with LMDB's stack trace (exit 1) or a native abort (134).
 */
describe('--cache on a refusing disk (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = () => workersAiEnv(server);
  const run = (name: string, cache: string) =>
    runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, `${name}.csv`), '--cache', cache, '--summary-json', path.join(dir, `${name}.json`), '--log-level', 'warn', '--rpm', '600000'], { env: env() });
  const expectOneLine = (stderr: string, line: string) => {
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
    expect(stderr).toBe(`sentiment-batch: ${line}\n`);
  };
  const outputLeftovers = (name: string) => readdirSync(dir).filter((file) => file.startsWith(`${name}.csv`));
  /** A copy of the whole cache beforeAll's run made (no process has it open), at a path of its own. */
  const wholeCache = (name: string) => {
    const cache = path.join(dir, name);
    cpSync(path.join(dir, 'whole-cache'), cache, { recursive: true });
    return cache;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(400));
    // A whole cache, made once by a run of the input: the tests that damage one each damage a copy of it.
    expect((await run('whole', path.join(dir, 'whole-cache'))).code).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('a cache path that is a file: exit 2, one line', async () => {
    const r = await run('file', input);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `--cache ${input}: ${input} is a file; --cache needs a folder (a new one, or one an earlier run made)`);
    expect(JSON.parse(readFileSync(path.join(dir, 'file.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  /** The same run from a job file that gives "cache": messages name its key there, not a --cache nobody typed. */
  const runJobFile = (name: string, cache: string) => {
    const job = path.join(dir, `${name}-job.json`);
    writeFileSync(job, JSON.stringify({ input, textColumn: 'review', output: path.join(dir, `${name}.csv`), cache, rpm: 600000, logLevel: 'warn' }));
    return { job, result: runCli(['run', job], { env: env() }) };
  };

  it('a job file\'s "cache" that is a file: named as the job file gives it', async () => {
    const { job, result } = runJobFile('job-file', input);
    const r = await result;
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `job file ${job}: "cache" ${input}: ${input} is a file; "cache" in the job file needs a folder (a new one, or one an earlier run made)`);
  });

  it('a job file\'s "cache" whose data file is not LMDB\'s: named as the job file gives it', async () => {
    const cache = path.join(dir, 'job-not-lmdb');
    mkdirSync(cache);
    writeFileSync(path.join(cache, 'data.mdb'), 'not a database, but long enough to be looked at as one: '.repeat(4));
    const { result } = runJobFile('job-not-lmdb', cache);
    const r = await result;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Point "cache" in the job file at an empty or new directory/);
    expect(r.stderr).not.toMatch(/--cache/);
  });

  it('a cache whose data file was cut short (a copy or a restore that stopped): exit 2, one line, not a crash', async () => {
    // LMDB maps the file and reads its pages without a check: one past the end of a cut file killed the process
    // with SIGBUS (exit 135), no line, no --summary-json, the same every night until someone looked.
    const cache = wholeCache('cut-cache');
    const data = path.join(cache, 'data.mdb');
    expect(statSync(data).size).toBeGreaterThan(3 * 4096);
    // Its two meta pages and one more: the tree's pages are gone.
    truncateSync(data, 3 * 4096);
    const r = await run('cut', cache);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^sentiment-batch: ${data} is cut short \\(12288 bytes, where its last page ends at byte \\d+\\): it is damaged \\(a copy or a restore that stopped\\?\\), ` +
          `so ${cache} is not a result cache this tool can use\\. Point --cache at an empty or new directory, or delete this one to start a fresh cache\\.\n$`,
      ),
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'cut.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(outputLeftovers('cut')).toEqual([]);
  });

  it('a cache whose data file was cut inside its first meta page: exit 2, one line, not a crash', async () => {
    // The magic is there but not the page size nor the last page: the check had nothing to compare the length with,
    // and LMDB then killed the process with SIGSEGV (exit 139), no line, no --summary-json (a restore stopped at 100 bytes).
    const cache = wholeCache('header-cache');
    const data = path.join(cache, 'data.mdb');
    for (const size of [100, 150]) {
      truncateSync(data, size);
      const r = await run('header', cache);
      expect(r.code).toBe(2);
      expectOneLine(
        r.stderr,
        `${data} is cut short (${size} bytes, inside its header): it is damaged (a copy or a restore that stopped?), ` +
          `so ${cache} is not a result cache this tool can use. Point --cache at an empty or new directory, or delete this one to start a fresh cache.`,
      );
      expect(JSON.parse(readFileSync(path.join(dir, 'header.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
      expect(outputLeftovers('header')).toEqual([]);
    }
  });

  it('a cache with a folder where lock.mdb or data.mdb should be: exit 2, one line naming it, not a crash', async () => {
    // A folder at lock.mdb's path killed every run with a segmentation fault (exit 139, no line, no --summary-json);
    // one at data.mdb's was exit 74 'a file (read) is a folder, expected a file: choose a file path', naming no file.
    for (const name of ['lock.mdb', 'data.mdb']) {
      const cache = wholeCache(`folder-${name}`);
      const file = path.join(cache, name);
      rmSync(file);
      mkdirSync(file);
      const r = await run(`folder-${name}`, cache);
      expect(r.code).toBe(2);
      expectOneLine(
        r.stderr,
        `${file} is a folder, not a file, so ${cache} is not a result cache this tool can use. Move ${name} away, point --cache at an empty or new directory, or delete this one to start a fresh cache.`,
      );
      expect(JSON.parse(readFileSync(path.join(dir, `folder-${name}.json`), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
      expect(outputLeftovers(`folder-${name}`)).toEqual([]);
    }
  });

  // The cache and an output path given on the command line named a file of the wrong kind in two wordings ('a device'
  // here, 'a character device' for -o): one now (wording/file-kind.ts), the more exact one.
  it.skipIf(process.platform === 'win32')('a cache whose data.mdb leads to a device: exit 2, one line saying a character device', async () => {
    const cache = wholeCache('device-data.mdb');
    const file = path.join(cache, 'data.mdb');
    rmSync(file);
    symlinkSync('/dev/null', file);
    const r = await run('device-data', cache);
    expect(r.code).toBe(2);
    expectOneLine(
      r.stderr,
      `${file} is a character device, not a file, so ${cache} is not a result cache this tool can use. Move data.mdb away, point --cache at an empty or new directory, or delete this one to start a fresh cache.`,
    );
  });

  describe.skipIf(!MOUNT)('on filesystems mounted for the test (root)', () => {
    const mount = useTmpfsMounts(() => dir);

    it('a full disk (64 KiB tmpfs): exit 74 with one line, summary written, no lock or partial left', async () => {
      const cache = path.join(mount('full', '64k'), 'c');
      const r = await run('full', cache);
      expect(r.code).toBe(74);
      expectOneLine(r.stderr, `no space left on the device holding the result cache ${cache} (64 KiB free, it needs 16.0 MiB): free some space, or choose another --cache folder, or run without --cache`);
      expect(JSON.parse(readFileSync(path.join(dir, 'full.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 74 });
      expect(outputLeftovers('full')).toEqual([]);
    });

    it('a read-only filesystem: exit 74 with one line, for a new cache folder and an existing one', async () => {
      const ro = mount('ro', '64k', 'ro');
      for (const cache of [path.join(ro, 'c'), ro]) {
        const r = await run('ro', cache);
        expect(r.code).toBe(74);
        expectOneLine(r.stderr, `the result cache folder ${cache} is on a read-only filesystem: mount it writable, or choose another --cache folder, or run without --cache`);
      }
      expect(outputLeftovers('ro')).toEqual([]);
    });

    it('a job file\'s "cache" on a read-only filesystem: the advice names its key there', async () => {
      const ro = mount('ro-job', '64k', 'ro');
      const { result } = runJobFile('ro-job', ro);
      const r = await result;
      expect(r.code).toBe(74);
      expectOneLine(r.stderr, `the result cache folder ${ro} is on a read-only filesystem: mount it writable, or choose another folder for "cache" in the job file, or run without "cache" in the job file`);
    });
  });
});
