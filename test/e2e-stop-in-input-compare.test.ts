import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, runCli, spawnCli, tempDir, waitFor } from './support/cli.js';

/**
 * A rerun whose input's file is not the one the checkpoint recorded (here: its modification time) reads the bytes the
 * job consumed again to tell whether it is the same job (job/same-input.ts): about 11 s a GB from gzip. A SIGTERM
 * meanwhile was acted on only once that read was through (this completed job then said "Already done", exit 0; a
 * paused one went on to open its output and save a checkpoint). It now ends the read where it is, as a signal while the
 * job sets up does (docs/container.md, "A signal while the run still sets up"): exit 130, nothing written. About 200 MB
 * decompressed (a 250 KB gzip: rows of a long second column) so the read lasts long enough to be signalled; the
 * signal is sent when the run says it begins that read, and no time is asserted.
 */
describe('a signal while a rerun reads the consumed input again to compare it', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('ends the read: exit 130, "stopped by SIGTERM before any work began", no file changed', async () => {
    const blob = 'x'.repeat(100 * 1024);
    const rows = Array.from({ length: 2000 }, (_, i) => `Review ${i}: the room was ${i % 2 ? 'clean' : 'dirty'},${blob}`);
    const input = path.join(dir, 'in.csv.gz');
    writeFileSync(input, gzipSync(`review,blob\n${rows.join('\n')}\n`));
    const output = path.join(dir, 'out.csv');
    const summaryFile = path.join(dir, 'summary.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--backend', 'embedded', '--log-format', 'json', '--summary-json', summaryFile];
    expect((await runCli(args)).code).toBe(0);
    // The same bytes with another modification time: a copy made without keeping file times.
    utimesSync(input, new Date('2027-01-02T03:04:05Z'), new Date('2027-01-02T03:04:05Z'));
    const files = (): Record<string, string> => Object.fromEntries(readdirSync(dir).filter((name) => name !== 'summary.json').map((name) => [name, `${statSync(path.join(dir, name)).size} ${statSync(path.join(dir, name)).mtimeMs}`]));
    const before = files();
    const checkpoint = readFileSync(`${output}.checkpoint.json`);

    const rerun = spawnCli(args);
    let stderr = '';
    rerun.stderr?.on('data', (chunk: string) => (stderr += chunk));
    await waitFor(() => stderr.includes('reading the part the job has read to compare its bytes'), 60_000, 'the re-read to begin');
    rerun.kill('SIGTERM');
    const result = await rerun.result;

    expect(result.code, result.stderr).toBe(130);
    // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts), and every other line.
    expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
    expect(logLines(result.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
    expect(result.stderr).not.toMatch(/Already done|it is the same job/);
    expect(logLines(result.stderr).filter((line) => line.signal === 'SIGTERM').map((line) => line.msg)).toEqual([
      'stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save',
    ]);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(files()).toEqual(before);
    expect(readFileSync(`${output}.checkpoint.json`).equals(checkpoint)).toBe(true);
    expect(existsSync(`${output}.partial`) || existsSync(`${output}.lock`)).toBe(false);
  }, 120_000);
});
