import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, runCli, tempDir } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { writeYesterdayAndToday } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A job killed between the checkpoint that completes it and the rename of its partial output, then run under other
 * settings (another --prefix): the completed job's answers are in `<output>.partial`, not yet at the output's path.
 * They were looked for at the output's path only: "the 300 answers in the completed job's output out.csv are not reused
 * by this one (its output out.csv is not as its checkpoint recorded it, edited by hand?: it is not there)", and every
 * row was paid for again (an operator's run: 60 of 60 requests again; renamed, 0).
 */
describe('a completed job killed before its rename, then run under other settings', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const env = (extra: Record<string, string> = {}) => ({ ...workersAiEnv(server), ...extra });
  const score = (output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', ...more];
  const startOverLine = (stderr: string) => logLines(stderr).map((line) => String(line['msg'])).find((msg) => msg.includes('starting over')) ?? '';

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    ({ yesterday: input } = writeYesterdayAndToday(dir));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('keeps the answers of its unrenamed output: 0 requests, and the bytes of a fresh run', async () => {
    const fresh = path.join(dir, 'fresh.csv');
    expect((await runCli(score(fresh, '--prefix', 'mood'), { env: env() })).code).toBe(0);

    const output = path.join(dir, 'out.csv');
    server.reset();
    const killed = await runCli(score(output), { env: env(killAtRename(output, { when: 'before' })) });
    expect(killed.code).not.toBe(0);
    expect(server.stats().total).toBe(300);
    expect(existsSync(`${output}.partial`)).toBe(true);
    expect(existsSync(output)).toBe(false);

    server.reset();
    const other = await runCli(score(output, '--prefix', 'mood'), { env: env() });
    expect(other.code, other.stderr).toBe(0);
    expect(startOverLine(other.stderr)).toContain(`starting over; the answers of its output are kept for this job (300 texts in ${output}.answers)`);
    expect(server.stats().total).toBe(0);
    expect(readFileSync(output)).toEqual(readFileSync(fresh));
  });

  // Today's export at that -o: its job wrote over the complete partial output from its first row, and paused (or
  // stopped) before it completed, there was no output at all where yesterday's was to stay until today's completes.
  // So a run on standard input (which keeps no checkpoint): it wrote over the complete partial output, and stopped before
  // it wrote a row, left neither that file nor an output (lowfix55 removes its header-only partial output).
  it.each([
    ['a file', false],
    ['standard input', true],
  ])("another input's run (%s) puts the completed output in place first: paused, yesterday's output is there", async (name, stdin) => {
    const fresh = path.join(dir, `fresh-yesterday-${name}.csv`);
    expect((await runCli(score(fresh), { env: env() })).code).toBe(0);
    const output = path.join(dir, `nightly-${name}.csv`);
    const killed = await runCli(score(output), { env: env(killAtRename(output, { when: 'before' })) });
    expect(killed.code).not.toBe(0);
    expect(existsSync(output)).toBe(false);

    // An export of texts yesterday's job never sent: the completed job's journal (still there, the rename not done)
    // answers none of them, so the request budget pauses the run (today's export, yesterday's rows re-sorted, is all
    // answered by that journal, kept for the new job: 1 request, done).
    const other = path.join(dir, 'reviews-other.csv');
    writeFileSync(other, `id,review,stars\n${Array.from({ length: 50 }, (_, i) => `${i},"An export of another shop, review ${i}",4`).join('\n')}\n`);
    const otherArgs = ['--text-column', 'review', '-o', output, '--rpm', '60000', '--max-requests', '10'];
    const paused = stdin
      ? await runCli(['score', '-', '--format', 'csv', ...otherArgs], { env: env(), input: readFileSync(other, 'utf8') })
      : await runCli(['score', other, ...otherArgs], { env: env() });
    expect(paused.code, paused.stderr).toBe(75);
    expect(existsSync(output)).toBe(true);
    expect(readFileSync(output)).toEqual(readFileSync(fresh));
  });

  // --restart discards the job there, as a file's run with it does: the completed output is not put in place, so a run on
  // standard input stopped before it completes leaves no output of the discarded job at -o.
  it('a run on standard input with --restart discards it: paused, no output is there', async () => {
    const output = path.join(dir, 'restarted.csv');
    const killed = await runCli(score(output), { env: env(killAtRename(output, { when: 'before' })) });
    expect(killed.code).not.toBe(0);
    expect(existsSync(`${output}.partial`)).toBe(true);
    const other = `id,review,stars\n${Array.from({ length: 50 }, (_, i) => `${i},"Restarted from another shop, review ${i}",4`).join('\n')}\n`;
    const paused = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', output, '--rpm', '60000', '--max-requests', '10', '--restart'], { env: env(), input: other });
    expect(paused.code, paused.stderr).toBe(75);
    expect(existsSync(output)).toBe(false);
  });

  // The same input under other settings (a record limit raised) took the completed job's answers from the partial
  // output, then wrote over it: paused before it completed, there was no output at all at -o (no out.csv).
  it("the same input under other settings puts the completed output in place first: paused, the old output is there", async () => {
    const fresh = path.join(dir, 'fresh-limit.csv');
    expect((await runCli(score(fresh, '--limit', '100'), { env: env() })).code).toBe(0);
    const output = path.join(dir, 'raised.csv');
    const killed = await runCli(score(output, '--limit', '100'), { env: env(killAtRename(output, { when: 'before' })) });
    expect(killed.code).not.toBe(0);
    expect(existsSync(output)).toBe(false);

    server.reset();
    const paused = await runCli(score(output, '--limit', '200', '--max-requests', '10'), { env: env() });
    expect(paused.code, paused.stderr).toBe(75);
    expect(startOverLine(paused.stderr)).toContain('the answers of its output are kept for this job (100 texts');
    expect(existsSync(output)).toBe(true);
    expect(readFileSync(output)).toEqual(readFileSync(fresh));
  });
});
