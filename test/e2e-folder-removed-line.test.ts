import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, waitFor } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * The output's folder removed while a run works: whichever of the run's steps finds it first, the run ends with the
 * folder's line (exit 74: the same command makes it again and starts over). The checkpoint's check of the partial
 * output, every 100 ms here, found it first and said "the partial output … was removed or replaced …; the answers this
 * run received are kept in …/out.csv.journal", a journal that went with the folder.
 */
describe('the output folder removed while the run checkpoints often', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '200ms' });

  it('ends with the folder line, in the summary file too, not the partial output\'s', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 60 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const folder = path.join(dir, 'out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const summaryJson = path.join(dir, 'night.json');
    const env = workersAiEnv(server, { token: 'token-0123456789' });
    const run = spawnCli(['score', input, '-o', output, '--concurrency', '1', '--checkpoint-interval', '100ms', '--summary-json', summaryJson, '--log-level', 'warn'], { env });
    await waitFor(() => existsSync(`${output}.partial`), 60_000, 'the run to start writing');
    // Gone at once, as the run sees it: moved away, then removed.
    renameSync(folder, `${folder}.gone`);
    rmSync(`${folder}.gone`, { recursive: true, force: true });
    const result = await run.result;
    const line = `the folder ${folder} does not exist any more: it was removed while the command ran; run the same command again: it makes the folder again and starts over (a checkpoint kept in that folder went with it)`;
    expect(result.stderr).not.toMatch(/the partial output .* was removed or replaced/);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`sentiment-batch: ${line}`);
    expect(result.code).toBe(74);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 74, message: line });
  }, 120_000);

  it('a folder swapped for an empty one (a mount lazily unmounted, a folder replaced) does not say the journal keeps the answers', async () => {
    const input = path.join(dir, 'swapped.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 60 }, (_, i) => `${i},review ${i} was fine until it was not`).join('\n')}\n`);
    const folder = path.join(dir, 'swapped');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const env = workersAiEnv(server, { token: 'token-0123456789' });
    const run = spawnCli(['score', input, '-o', output, '--concurrency', '1', '--checkpoint-interval', '100ms'], { env });
    await waitFor(() => existsSync(`${output}.journal`) && readFileSync(`${output}.journal`, 'utf8').split('\n').length > 3, 60_000, 'answers in the journal');
    // The path now leads to another, empty folder: the journal the run appends to is not where the next run looks.
    renameSync(folder, `${folder}.old`);
    mkdirSync(folder);
    const result = await run.result;
    expect(result.code).toBe(74);
    // Whichever finds it first: the checkpoint's check of the partial output, or a write into the folder between the
    // move and the mkdir (the checkpoint's rename, ENOENT), which said "rename … failed: no such file or directory
    // (ENOENT); check that path and the machine" (2 of 4 runs at 3f0af071) and now says the folder is another one.
    expect(result.stderr).toMatch(/the partial output .* was removed or replaced|the folder .* is another one now: it was unmounted, or removed and made again/);
    expect(result.stderr).not.toMatch(/check that path and the machine/);
    expect(result.stderr).not.toMatch(/kept in .*journal|kept in the journal/);
  }, 120_000);

  // A working folder that held the input too (operator29): "run the same command again" alone finds nothing to read.
  it('names the input that went with the folder, and says to put it back', async () => {
    const folder = path.join(dir, 'work');
    mkdirSync(folder);
    const input = path.join(folder, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 60 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const output = path.join(folder, 'out.csv');
    const env = workersAiEnv(server, { token: 'token-0123456789' });
    const run = spawnCli(['score', input, '-o', output, '--concurrency', '1', '--checkpoint-interval', '100ms', '--log-level', 'warn'], { env });
    await waitFor(() => existsSync(`${output}.partial`), 60_000, 'the run to start writing');
    renameSync(folder, `${folder}.gone`);
    rmSync(`${folder}.gone`, { recursive: true, force: true });
    const result = await run.result;
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `sentiment-batch: the folder ${folder} does not exist any more: it was removed while the command ran, and the input ${input} went with it: make the folder again and put the input back in it (or export it again there), then run the same command: it starts over (a checkpoint kept in that folder went with it)`,
    );
    expect(result.code).toBe(74);
  }, 120_000);
});
