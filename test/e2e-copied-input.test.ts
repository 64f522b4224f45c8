import { cpSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inputFile } from '../src/io/open-input.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 300;
const env = (baseURL: string) => workersAiEnv({ baseURL });
/** A file time far from now: what a copy that does not keep file times gives the input (and every file of the job). */
const LATER = new Date('2027-01-02T03:04:05Z');

/** Copies a folder as `cp -r` does (file times not kept), and gives every file another modification time to be sure. */
function copyWithoutTimes(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: false });
  for (const name of readdirSync(to)) utimesSync(path.join(to, name), LATER, LATER);
}

/**
 * A job's folder copied without its file times (`cp -r`, rsync without -t, `docker cp`, a CI artifact, a download) or
 * its input gzipped in place is the same job: the checkpoint records the sha256 of the input bytes it consumed
 * (job/consumed-input.ts), and a file whose times or compression differ is compared by them (job/same-input.ts). These
 * started over and paid for every row again. A real edit of the consumed part still starts over.
 */
describe('an input copied without its file times, or gzipped, is the same job', () => {
  const dir = useTempDir();
  const server = useTestServer();

  /**
   * A completed job whose negative reviews failed transiently once (listed for a rerun to mend); `lone`, a copy of it
   * made then, mended in full (`mendRequests`, its mend's requests); then the job's own mend stopped by a budget of 20.
   */
  async function mendStoppedByBudget() {
    const running = await server.start({ latency: '1-3ms' });
    const { baseURL } = running;
    const job = dir.path('job');
    cpSync(dir.file('in.csv', syntheticCsv(ROWS)), path.join(job, 'in.csv'));
    const args = (folder: string, ...extra: string[]) => ['score', path.join(folder, 'in.csv'), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000', ...extra];
    running.setFaults({ latency: '1-3ms', rules: [{ textIncludes: 'really', respond: { status: 500 } }] });
    expect((await runCli(args(job, '--max-attempts', '1', '--max-error-rate', '1'), { env: env(baseURL) })).code).toBe(0);
    running.setFaults({ latency: '1-3ms' });
    const lone = dir.path('lone');
    copyWithoutTimes(job, lone);
    running.reset();
    expect((await runCli(args(lone), { env: env(baseURL) })).code).toBe(0);
    const mendRequests = running.stats().total;
    expect(mendRequests).toBeGreaterThan(40);

    running.reset();
    expect((await runCli(args(job, '--max-requests', '20'), { env: env(baseURL) })).code).toBe(75);
    return { running, baseURL, job, lone, args, mendRequests };
  }

  it('a paused paid job copied without file times resumes: no row written is sent again, the bytes of a run never paused', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const { baseURL } = running;
    const args = (folder: string, ...extra: string[]) => ['score', path.join(folder, 'in.csv'), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000', ...extra];
    const lone = dir.path('lone');
    const job = dir.path('job');
    for (const folder of [lone, job]) {
      cpSync(dir.file('in.csv', syntheticCsv(ROWS)), path.join(folder, 'in.csv'));
    }
    expect((await runCli(args(lone), { env: env(baseURL) })).code).toBe(0);
    const loneRequests = running.stats().total;

    running.reset();
    expect((await runCli(args(job, '--max-requests', '100'), { env: env(baseURL) })).code).toBe(75);
    expect(running.stats().total).toBe(100);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    rmSync(job, { recursive: true });

    running.reset();
    const resumed = await runCli(args(copy, '--resume', 'require'), { env: env(baseURL) });
    expect(resumed.stderr).toMatch(/bytes the job read are the same: it is the same job/);
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(running.stats().total).toBe(loneRequests - 100);
    expect(readFileSync(path.join(copy, 'out.csv')).equals(readFileSync(path.join(lone, 'out.csv')))).toBe(true);
  }, 60_000);

  it("the copy's answer journal is replayed: a text the paused run paid for is not sent again for a later row that repeats it", async () => {
    const running = await server.start({ latency: '1-3ms' });
    // 300 distinct texts, then 150 new ones each followed by a repeat of an early one: 450 distinct texts in 600 rows.
    const early = Array.from({ length: 300 }, (_, i) => `Visit ${i}: the staff were friendly and the room was clean`);
    const later = Array.from({ length: 150 }, (_, j) => [`Order ${j}: arrived late and the box was damaged`, early[j] as string]).flat();
    const job = dir.path('job');
    cpSync(dir.file('repeats.csv', `review\n${[...early, ...later].join('\n')}\n`), path.join(job, 'repeats.csv'));
    const args = (folder: string, ...extra: string[]) => ['score', path.join(folder, 'repeats.csv'), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000', ...extra];
    expect((await runCli(args(job, '--max-requests', '350'), { env: env(running.baseURL) })).code).toBe(75);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    const finished = await runCli(args(copy), { env: env(running.baseURL) });
    expect(finished.stderr).toMatch(/kept from the journal/);
    expect(finished.code).toBe(0);
    // Every distinct text paid for once across both runs.
    expect(running.stats().total).toBe(450);
  }, 60_000);

  it("a full disk refusing the journal as a copy resumes: the next run still replays it, no text paid for twice", async () => {
    const running = await server.start({ latency: '1-3ms' });
    // 300 distinct texts, then 150 new ones each followed by a repeat of an early one: 450 distinct texts in 600 rows.
    const early = Array.from({ length: 300 }, (_, i) => `Visit ${i}: the staff were friendly and the room was clean`);
    const later = Array.from({ length: 150 }, (_, j) => [`Order ${j}: arrived late and the box was damaged`, early[j] as string]).flat();
    const job = dir.path('job');
    cpSync(dir.file('repeats.csv', `review\n${[...early, ...later].join('\n')}\n`), path.join(job, 'repeats.csv'));
    const args = (folder: string) => ['score', path.join(folder, 'repeats.csv'), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000'];
    expect((await runCli([...args(job), '--max-requests', '350'], { env: env(running.baseURL) })).code).toBe(75);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    // The journal's rewrite as the copy resumes (to a temporary file beside it) is refused: a full disk, exit 74.
    const full = { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/enospc-at-write.mjs')}`, SB_TEST_ENOSPC_FILE: path.join(copy, 'out.csv.journal.tmp-'), SB_TEST_ENOSPC_PREFIX: '1' };
    const refused = await runCli(args(copy), { env: { ...env(running.baseURL), ...full } });
    expect(refused.stderr).toMatch(/no space left on the device holding .*out\.csv\.journal/);
    expect(refused.code).toBe(74);
    const finished = await runCli(args(copy), { env: env(running.baseURL) });
    expect(finished.stderr).toMatch(/kept from the journal/);
    expect(finished.code).toBe(0);
    // Every distinct text paid for once across the runs.
    expect(running.stats().total).toBe(450);
  }, 60_000);

  it("a completed job's mend stopped by its budget, then copied without file times: the copy's mend replays the answers it paid for", async () => {
    const { running, baseURL, job, lone, args, mendRequests } = await mendStoppedByBudget();
    expect(running.stats().total).toBe(20);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    running.reset();
    const mended = await runCli(args(copy), { env: env(baseURL) });
    expect(mended.stderr).toMatch(/bytes the job read are the same: it is the same job/);
    expect(mended.stderr).toMatch(/kept from the journal/);
    expect(mended.code).toBe(0);
    expect(running.stats().total).toBe(mendRequests - 20);
    expect(readFileSync(path.join(copy, 'out.csv')).equals(readFileSync(path.join(lone, 'out.csv')))).toBe(true);
  }, 60_000);

  it("the copy's rerun killed as it checks its list of failed rows, before its mend opens the journal: the next rerun still replays the journal", async () => {
    const { running, baseURL, job, lone, args, mendRequests } = await mendStoppedByBudget();
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    // Killed as the rerun reads its list of failed rows to check it (a SIGTERM there stops it too): the journal not yet
    // opened, so still written for the input's file as the checkpoint recorded it before the copy.
    const kill = { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-open.mjs')}`, SB_TEST_KILL_OPEN: path.join(copy, 'out.csv.failed-rows') };
    expect((await runCli(args(copy), { env: { ...env(baseURL), ...kill } })).signal).toBe('SIGKILL');
    running.reset();
    const mended = await runCli(args(copy), { env: env(baseURL) });
    expect(mended.stderr).toMatch(/kept from the journal/);
    expect(mended.code).toBe(0);
    // The 20 answers the budget-stopped mend paid for are not paid again.
    expect(running.stats().total).toBe(mendRequests - 20);
    expect(readFileSync(path.join(copy, 'out.csv')).equals(readFileSync(path.join(lone, 'out.csv')))).toBe(true);
  }, 60_000);

  // The journal there, the rerun's checkpoint is not rewritten before its mend (record-found-input.ts), and the mend
  // copies the one it read: the invalid fileId, read as unknown, was dropped and none written, so every later run knew
  // the input by its identity alone (another export of that identity renamed over it taken for the job's).
  it("a mend stopped by its budget, then its checkpoint's fileId edited to an invalid one: the mend that completes records the input's own", async () => {
    const { running, baseURL, job, args, mendRequests } = await mendStoppedByBudget();
    const checkpointFile = path.join(job, 'out.csv.checkpoint.json');
    const edited = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    writeFileSync(checkpointFile, JSON.stringify({ ...edited, input: { ...edited.input, fileId: { ...edited.input.fileId, dev: 7 } } }));
    running.reset();
    const mended = await runCli(args(job), { env: env(baseURL) });
    expect(mended.stderr).toMatch(/device, inode and change time are invalid/);
    expect(mended.stderr).toMatch(/kept from the journal/);
    expect(mended.code).toBe(0);
    expect(running.stats().total).toBe(mendRequests - 20);
    const { fileId } = await inputFile(path.join(job, 'in.csv'));
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8')).input.fileId).toEqual(fileId);
  }, 60_000);

  it('a completed job copied without file times is already done', async () => {
    const job = dir.path('job');
    cpSync(dir.file('in.csv', syntheticCsv(ROWS)), path.join(job, 'in.csv'));
    const args = (folder: string) => ['score', path.join(folder, 'in.csv'), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--backend', 'embedded'];
    expect((await runCli(args(job))).code).toBe(0);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    const again = await runCli(args(copy));
    expect(again.stderr).not.toMatch(/afresh|starting over/);
    expect(again.stdout + again.stderr).toMatch(/Already done/);
    expect(again.code).toBe(0);
  });

  // "Already done" wrote no file, so every rerun of the copy read its consumed bytes again (seconds a GB): the first
  // rerun that finds them the same records the file as it is now (job/record-found-input.ts), and the next knows it by
  // its identity, without the read (which is what logs "the N bytes the job read are the same").
  it('a completed job copied without file times, then gzipped in place: the first rerun of each records the file, the next does not read the bytes again', async () => {
    const job = dir.path('job');
    cpSync(dir.file('in.csv', syntheticCsv(ROWS)), path.join(job, 'in.csv'));
    const args = (folder: string, input = 'in.csv') => ['score', path.join(folder, input), '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--backend', 'embedded'];
    expect((await runCli(args(job))).code).toBe(0);
    const copy = dir.path('copy');
    copyWithoutTimes(job, copy);
    const checkpointFile = path.join(copy, 'out.csv.checkpoint.json');
    const { input: _before, ...recorded } = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    const output = readFileSync(path.join(copy, 'out.csv'));
    const rerun = async (input?: string): Promise<string> => {
      const again = await runCli(args(copy, input));
      expect(again.stdout + again.stderr).toMatch(/Already done/);
      expect(again.code).toBe(0);
      expect(readFileSync(path.join(copy, 'out.csv')).equals(output)).toBe(true);
      // Nothing but the input's file is recorded anew.
      const { input: _input, ...after } = JSON.parse(readFileSync(checkpointFile, 'utf8'));
      expect(after).toEqual(recorded);
      return again.stderr;
    };
    expect(await rerun()).toMatch(/bytes the job read are the same: it is the same job/);
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8')).input.identity.mtimeMs).toBe(LATER.getTime());
    expect(await rerun()).not.toMatch(/bytes the job read are the same/);

    writeFileSync(path.join(copy, 'in.csv.gz'), gzipSync(readFileSync(path.join(copy, 'in.csv'))));
    rmSync(path.join(copy, 'in.csv'));
    expect(await rerun('in.csv.gz')).toMatch(/bytes the job read are the same: it is the same job/);
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8')).input.path).toBe(path.join(copy, 'in.csv.gz'));
    expect(await rerun('in.csv.gz')).not.toMatch(/bytes the job read are the same/);
  });

  it('gzip x.csv in place after a pause, then score x.csv.gz: the job resumes to the bytes of a run never paused', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const { baseURL } = running;
    const csv = syntheticCsv(ROWS);
    const lone = dir.path('lone');
    cpSync(dir.file('x.csv', csv), path.join(lone, 'x.csv'));
    const args = (input: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '--rpm', '600000', ...extra];
    expect((await runCli(args(path.join(lone, 'x.csv')), { env: env(baseURL) })).code).toBe(0);
    const loneRequests = running.stats().total;

    running.reset();
    const input = dir.file('x.csv', csv);
    expect((await runCli(args(input, '--max-requests', '100'), { env: env(baseURL) })).code).toBe(75);
    writeFileSync(`${input}.gz`, gzipSync(csv));
    rmSync(input);

    running.reset();
    const resumed = await runCli(args(`${input}.gz`, '--resume', 'require'), { env: env(baseURL) });
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(running.stats().total).toBe(loneRequests - 100);
    expect(readFileSync(dir.path('x.scored.csv')).equals(readFileSync(path.join(lone, 'x.scored.csv')))).toBe(true);
  }, 60_000);

  it('gzip -k x.csv after scoring it to the default output, then score x.csv.gz: the same job, already done, not refused as another input', async () => {
    const csv = syntheticCsv(ROWS);
    const input = dir.file('x.csv', csv);
    const args = (file: string) => ['score', file, '--text-column', 'review', '--backend', 'embedded'];
    expect((await runCli(args(input))).code).toBe(0);
    const scored = readFileSync(dir.path('x.scored.csv'));
    writeFileSync(`${input}.gz`, gzipSync(csv));
    const again = await runCli(args(`${input}.gz`));
    expect(again.stderr).not.toMatch(/is the output of another input/);
    expect(again.stdout + again.stderr).toMatch(/Already done/);
    expect(again.code).toBe(0);
    expect(readFileSync(dir.path('x.scored.csv')).equals(scored)).toBe(true);
  });

  describe('an input over 128 KiB (its head and tail hashed apart from its middle), paused after its middle row', () => {
    const BIG = 700;
    /** Longer rows: over 128 KiB in fewer rows (fewer requests). */
    const padding = (): string => ' and the delivery was on time'.repeat(7);
    const pausedJob = async (baseURL: string): Promise<{ input: string; args: (...extra: string[]) => string[]; middle: number }> => {
      const csv = syntheticCsv(BIG, { marker: padding });
      expect(csv.length).toBeGreaterThan(160 * 1024);
      const input = dir.file('in.csv', csv);
      const args = (...extra: string[]) => ['score', input, '--text-column', 'review', '-o', dir.path('out.csv'), '--rpm', '600000', ...extra];
      expect((await runCli(args('--max-requests', '450'), { env: env(baseURL) })).code).toBe(75);
      return { input, args, middle: csv.indexOf('Review number 300:') };
    };
    /** Replaces one byte at `at` with another of the same size, and gives the file another modification time. */
    const editByte = (file: string, at: number): void => {
      const bytes = readFileSync(file);
      bytes[at] = bytes[at] === 0x52 ? 0x72 : 0x52; // 'R' <-> 'r'
      writeFileSync(file, bytes);
      utimesSync(file, LATER, LATER);
    };

    it('a row edited in the consumed part (same size, head and tail) starts over, and --resume require refuses', async () => {
      const { baseURL } = await server.start({ latency: '1-3ms' });
      const { input, args, middle } = await pausedJob(baseURL);
      editByte(input, middle);
      const refused = await runCli(args('--resume', 'require'), { env: env(baseURL) });
      expect(refused.stderr).toMatch(/cannot resume, the input changed since the checkpoint/);
      expect(refused.code).toBe(3);
      const again = await runCli(args(), { env: env(baseURL) });
      expect(again.stderr).toMatch(/the input changed since the checkpoint.*starting over/);
      expect(again.code).toBe(0);
    }, 60_000);

    it('a row edited in the part not yet consumed resumes: none of its bytes was used', async () => {
      const { baseURL } = await server.start({ latency: '1-3ms' });
      const { input, args } = await pausedJob(baseURL);
      editByte(input, readFileSync(input, 'utf8').indexOf('Review number 650:'));
      const resumed = await runCli(args('--resume', 'require'), { env: env(baseURL) });
      expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
      expect(resumed.code).toBe(0);
      expect(readFileSync(dir.path('out.csv'), 'utf8')).toContain('review number 650:');
    }, 60_000);

    it('a checkpoint whose consumed hashes were edited by hand is never taken for the same bytes', async () => {
      const { baseURL } = await server.start({ latency: '1-3ms' });
      const { input, args } = await pausedJob(baseURL);
      const checkpointPath = `${dir.path('out.csv')}.checkpoint.json`;
      const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as { consumed: Array<{ end: number; sha256: string }> };
      expect(checkpoint.consumed.length).toBeGreaterThan(0);
      const last = checkpoint.consumed.at(-1) as { sha256: string };
      last.sha256 = `${last.sha256.slice(0, -1)}${last.sha256.endsWith('0') ? '1' : '0'}`;
      writeFileSync(checkpointPath, JSON.stringify(checkpoint));
      utimesSync(input, LATER, LATER);
      const refused = await runCli(args('--resume', 'require'), { env: env(baseURL) });
      expect(refused.stderr).toMatch(/cannot resume, the input changed since the checkpoint/);
      expect(refused.code).toBe(3);
    }, 60_000);
  });
});
