import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, runCli, spawnCli, tempDir, waitFor } from './support/cli.js';
import { reviewText } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * Before an unfinished job of another input is started over, its paid answers are imported into <output>.answers
 * (job/kept-answers.ts): about 100 s a million rows. A SIGTERM meanwhile was acted on only once the import was through:
 * the old job's partial output and checkpoint were then replaced by the new job's before it stopped. The import is now
 * a setup step the signal ends (setup-stop.ts setupStep): exit 130, "stopped by SIGTERM before any work began", the old
 * job's files as they were, and the next run imports again. The paused job holds 60,000 rows of 20 texts (duplicates
 * are sent once, so 20 requests); the signal is sent when the store's folder appears, no time is asserted.
 */
describe('a signal while the answers of a dropped job are imported', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const scorer = new TestScorer();
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('ends the import: exit 130, the old job untouched; the next run imports again and pays for no text twice', async () => {
    const env = workersAiEnv(server);
    const score = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', ...more];
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},"${reviewText(i % 20)}"`);
    const tail = Array.from({ length: 50 }, (_, i) => `${60_000 + i},"${reviewText(1000 + i)}"`);
    const yesterday = path.join(dir, 'reviews-2026-12-03.csv');
    const today = path.join(dir, 'reviews-2026-12-04.csv');
    writeFileSync(yesterday, `id,review\n${[...rows, ...tail].join('\n')}\n`);
    writeFileSync(today, `id,review\n${['1,"A brand new review, nice"', ...rows.slice(0, 40)].join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    expect((await runCli(score(yesterday, output, '--max-requests', '20'), { env })).code).toBe(75);
    server.reset();
    scorer.texts.length = 0;
    const files = (): Record<string, string> =>
      Object.fromEntries(readdirSync(dir).filter((name) => name.startsWith('out.csv.') && name !== 'out.csv.answers').map((name) => [name, readFileSync(path.join(dir, name)).toString('base64')]));
    const before = files();
    expect(Object.keys(before).sort()).toEqual(['out.csv.checkpoint.json', 'out.csv.failed-rows', 'out.csv.journal', 'out.csv.partial']);

    // -o as typed in the folder (out.csv): the signal's line names the store so, as `Done: out.csv` names the output.
    const stopped = spawnCli(score(today, 'out.csv'), { env, cwd: dir });
    await waitFor(() => existsSync(`${output}.answers`), 60_000, 'the import to begin');
    stopped.kill('SIGTERM');
    const result = await stopped.result;
    expect(result.code, result.stderr).toBe(130);
    // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts), and every other line.
    expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
    expect(logLines(result.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
    expect(result.stderr).not.toContain('starting over');
    expect(logLines(result.stderr).filter((line) => line.signal === 'SIGTERM').map((line) => line.msg)).toEqual([
      `stopping while the answers the unfinished job paid for are being kept: nothing has been sent, its partial output, checkpoint and journal are as they were, and the answers already kept in out.csv.answers stay there for the next run, which keeps the rest`,
    ]);
    expect(files()).toEqual(before);
    expect(existsSync(output) || existsSync(`${output}.lock`)).toBe(false);
    expect(statSync(`${output}.answers`).isDirectory()).toBe(true);
    expect(server.stats().total).toBe(0);

    const finished = await runCli(score(today, output), { env });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('the answers it paid for are kept for this job (20 texts in');
    // Only the new review is sent: the 20 texts yesterday paid for come from the store.
    expect(scorer.texts).toEqual(['A brand new review, nice']);
    expect(existsSync(`${output}.answers`)).toBe(false);
  }, 120_000);

  // A completed job's output is imported too when the same input starts over under changed settings (another prefix):
  // the signal's line named "the unfinished job" and "its partial output" there, of a job that has neither.
  it('of a completed job (another prefix): exit 130, its output and checkpoint untouched, the line names them; the next run sends nothing', async () => {
    const env = workersAiEnv(server);
    const score = (output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', ...more];
    const input = path.join(dir, 'reviews-done.csv');
    writeFileSync(input, `id,review\n${Array.from({ length: 60_000 }, (_, i) => `${i},"${reviewText(i % 20)}"`).join('\n')}\n`);
    const output = path.join(dir, 'done.csv');
    expect((await runCli(score(output), { env })).code).toBe(0);
    server.reset();
    const files = (): Record<string, string> =>
      Object.fromEntries(readdirSync(dir).filter((name) => name.startsWith('done.csv') && name !== 'done.csv.answers').map((name) => [name, readFileSync(path.join(dir, name)).toString('base64')]));
    const before = files();
    expect(Object.keys(before).sort()).toEqual(['done.csv', 'done.csv.checkpoint.json']);

    const stopped = spawnCli(score(output, '--prefix', 'mood'), { env });
    await waitFor(() => existsSync(`${output}.answers`), 60_000, 'the import to begin');
    stopped.kill('SIGTERM');
    const result = await stopped.result;
    expect(result.code, result.stderr).toBe(130);
    expect(logLines(result.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
    expect(logLines(result.stderr).filter((line) => line.signal === 'SIGTERM').map((line) => line.msg)).toEqual([
      `stopping while the answers of the completed job's output are being kept: nothing has been sent, its output and checkpoint are as they were, and the answers already kept in ${output}.answers stay there for the next run, which keeps the rest`,
    ]);
    expect(files()).toEqual(before);
    expect(server.stats().total).toBe(0);

    const finished = await runCli(score(output, '--prefix', 'mood'), { env });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('the answers of its output are kept for this job (20 texts in');
    expect(server.stats().total).toBe(0);
    expect(readFileSync(output, 'utf8').split('\n', 1)[0]).toBe('id,review,mood_label,mood_positive,mood_negative,mood_truncated,mood_error');
    expect(existsSync(`${output}.answers`)).toBe(false);
  }, 120_000);
});
