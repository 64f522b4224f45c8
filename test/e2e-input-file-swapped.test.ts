import { cpSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { reviewText } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** 600 rows of about 400 bytes (240 KB): rows 290-310 lie past the first 64 KiB and before the last. */
const ROWS = 600;
const EDITED = { from: 290, to: 310 };
const PAUSE_AT = 400;
/** The time both exports are given, as `touch -r in.csv new.csv` gives the new one the old one's. */
const EXPORTED = new Date('2026-12-01T10:00:00Z');
const env = (baseURL: string) => workersAiEnv({ baseURL });

/** The export; `edited`: another export of it, rows 290-310 changed at the same length (its size, first and last 64 KiB the same). */
function exportCsv(edited: boolean): string {
  const lines = ['id,review,pad'];
  for (let i = 0; i < ROWS; i++) {
    const text = edited && i >= EDITED.from && i <= EDITED.to ? reviewText(i).replace('the product was', 'the service was') : reviewText(i);
    lines.push(`${i},"${text.replace(/"/g, '""')}",${'x'.repeat(300)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The input's identity (size, modification time, first and last 64 KiB) took another export renamed over the input
 * with the same size and time (`touch -r in.csv new.csv; mv new.csv in.csv`) for the job's own input: a paused job
 * resumed and wrote the new rows after the old ones, a completed job was "already done" with the old export's output.
 * The checkpoint records the file's device and inode beside the identity; another file is compared by the bytes the
 * job read (job/same-input.ts isRecordedFile), so a copy made with its times (`cp -a`) is still the same job.
 */
describe('another export of the same size and times renamed over the input', () => {
  const dir = useTempDir();
  const server = useTestServer();

  /** A folder holding the export (`edited` or not) with the export's time, and the arguments that score it there. */
  function jobFolder(name: string, edited: boolean) {
    const folder = dir.path(name);
    const input = path.join(folder, 'in.csv');
    cpSync(dir.file(`${name}.csv`, exportCsv(edited)), input);
    utimesSync(input, EXPORTED, EXPORTED);
    const args = (...extra: string[]) => ['score', input, '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000', ...extra];
    return { folder, input, args, output: () => readFileSync(path.join(folder, 'out.csv')) };
  }

  /** Puts the edited export at `input` as an exporter does: written beside it, given its time, renamed over it. */
  function swapIn(input: string): void {
    const next = `${input}.next`;
    writeFileSync(next, exportCsv(true));
    const { atime, mtime } = statSync(input);
    utimesSync(next, atime, mtime);
    renameSync(next, input);
    expect(statSync(input).mtimeMs).toBe(mtime.getTime());
  }

  it('a completed job is scored afresh, not "already done" with the old export\'s rows', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const clean = jobFolder('clean', true);
    expect((await runCli(clean.args(), { env: env(running.baseURL) })).code).toBe(0);
    const job = jobFolder('job', false);
    expect((await runCli(job.args(), { env: env(running.baseURL) })).code).toBe(0);
    expect(job.output().equals(clean.output())).toBe(false);

    swapIn(job.input);
    running.reset();
    const rerun = await runCli(job.args(), { env: env(running.baseURL) });
    expect(rerun.stderr).not.toMatch(/already done/);
    expect(rerun.stderr).toMatch(/the input changed since the checkpoint of the completed job/);
    expect(rerun.code).toBe(0);
    // Only the edited rows' texts are sent: the old output's answers to the others are kept for it (resume.ts keepEdited).
    expect(running.stats().total).toBe(EDITED.to - EDITED.from + 1);
    expect(job.output().equals(clean.output())).toBe(true);
  }, 180_000);

  it('a paused job whose read part differs starts over: no old row is kept in the output', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const clean = jobFolder('clean', true);
    expect((await runCli(clean.args(), { env: env(running.baseURL) })).code).toBe(0);
    const job = jobFolder('job', false);
    expect((await runCli(job.args('--max-requests', String(PAUSE_AT)), { env: env(running.baseURL) })).code).toBe(75);

    swapIn(job.input);
    const rerun = await runCli(job.args(), { env: env(running.baseURL) });
    expect(rerun.stderr).not.toMatch(/resuming from the checkpoint/);
    expect(rerun.stderr).toMatch(/the input changed since the checkpoint .*starting over/);
    expect(rerun.code).toBe(0);
    expect(job.output().equals(clean.output())).toBe(true);
  }, 180_000);

  it('a paused job folder copied with its times (cp -a: another inode) resumes after comparing the bytes read, and records the copy', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const clean = jobFolder('clean', false);
    expect((await runCli(clean.args(), { env: env(running.baseURL) })).code).toBe(0);
    const job = jobFolder('job', false);
    expect((await runCli(job.args('--max-requests', String(PAUSE_AT)), { env: env(running.baseURL) })).code).toBe(75);
    const copyFolder = dir.path('copy');
    cpSync(job.folder, copyFolder, { recursive: true, preserveTimestamps: true });
    const copyInput = path.join(copyFolder, 'in.csv');
    expect(statSync(copyInput).mtimeMs).toBe(statSync(job.input).mtimeMs);
    expect(statSync(copyInput).ino).not.toBe(statSync(job.input).ino);
    const args = (...extra: string[]) => ['score', copyInput, '--text-column', 'review', '-o', path.join(copyFolder, 'out.csv'), '--rpm', '600000', ...extra];

    running.reset();
    const resumed = await runCli(args('--resume', 'require'), { env: env(running.baseURL) });
    expect(resumed.stderr).toMatch(/its device, inode or change time differ\), but the \d+ bytes the job read are the same: it is the same job/);
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(running.stats().total).toBe(ROWS - PAUSE_AT);
    expect(readFileSync(path.join(copyFolder, 'out.csv')).equals(clean.output())).toBe(true);

    // The completed checkpoint records the copy's file: the rerun knows it without reading its bytes again.
    const again = await runCli(args(), { env: env(running.baseURL) });
    expect(again.stderr).toMatch(/already done/);
    expect(again.stderr).not.toMatch(/its device, inode or change time differ/);
    expect(again.code).toBe(0);
  }, 180_000);
});
