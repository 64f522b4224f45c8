import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const OLD_ROWS = 20;
const ROWS = 30;

/** A CSV of `rows` reviews, every record ended by a lone CR, as old Mac exporters write (as e2e-grown-cr-only-lf.test.ts). */
const crOnly = (rows: number, from = 0) =>
  Array.from({ length: rows - from }, (_, i) => `${from + i},"review ${from + i}: ${(from + i) % 3 ? 'good, it works' : 'bad, it broke'}"\r`).join('');

/**
 * A CR-only export whose last row was written with no CR, the next night's file the same bytes and a CR alone: that CR
 * ends the row (CSV), as an LF would. The LF twin was continued with no request; the CR one was scored afresh, "its last
 * row … goes on with the bytes after them, so it is another record now", every row paid again.
 */
describe('a CR-only export grown by a line ending alone after a last row without one', () => {
  const dir = useTempDir();
  const server = useTestServer();
  const old = `id,review\r${crOnly(OLD_ROWS)}`.slice(0, -1);

  it.each([
    ['lf', '\n'],
    ['cr', '\r'],
  ])('is continued with no request, the output a fresh run of the new file (%s)', async (name, ending) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000'], { env });
    const freshOutput = dir.path(`${name}-alone-fresh.out.csv`);
    expect((await run(dir.file(`${name}-alone-fresh.csv`, old + ending), freshOutput)).code).toBe(0);

    const input = dir.file(`${name}-alone-in.csv`, old);
    const output = dir.path(`${name}-alone-out.csv`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, old + ending);
    running.reset();
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with only a line ending added after its last row \(no rows appended\); its 20 rows are kept, none is scored/);
    expect(running.stats().total).toBe(0);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });
});

/**
 * A --limit job that reached its limit on a CR-only export's last row, written with no CR: the next night's file ends
 * that row with a CR (and rows after it or not). A fresh run writes that row with its CR; the LF twin was continued for
 * that line ending alone. The CR alone was scored afresh, and a CR and rows were "the same job" (Already done) keeping an
 * output whose last row had no ending: both are continued now, the output gaining the CR.
 */
describe('a --limit job on a CR-only export whose last row, without a CR, gets one', () => {
  const dir = useTempDir();
  const old = `id,review\r${crOnly(OLD_ROWS)}`.slice(0, -1);
  const run = (input: string, output: string) => runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '--limit', String(OLD_ROWS), '-o', output]);

  it.each([
    ['lf-alone', '\n'],
    ['cr-alone', '\r'],
    ['lf-rows', `\n${crOnly(ROWS, OLD_ROWS)}`],
    ['cr-rows', `\r${crOnly(ROWS, OLD_ROWS)}`],
  ])('is continued for that line ending, none scored, the output a fresh run of the new file (%s)', async (name, growth) => {
    const freshOutput = dir.path(`${name}-fresh.out.csv`);
    expect((await run(dir.file(`${name}-fresh.csv`, old + growth), freshOutput)).code).toBe(0);
    const input = dir.file(`${name}-in.csv`, old);
    const output = dir.path(`${name}-out.csv`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, old + growth);
    const continued = await run(input, output);
    expectCleanError(continued.stderr);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with a line ending added after its last row, which it lacked; its 20 rows are kept, none is scored/);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });
});

/**
 * The run that continues such a --limit job for its last row's line ending alone, killed before its rename, then the
 * export run under another --prefix: the completed job's answers are read back from its partial output, whose last
 * record is that line ending passed through (job/partial-answers.ts). The LF one's were kept (0 requests); the CR
 * one's were not ("its last row does not start where its checkpoint records": a one-byte ending had to be an LF), and
 * all 20 answers were paid for again.
 */
describe('a --limit job on a CR-only export, killed before the rename of the run that added its last row\'s ending', () => {
  const dir = useTempDir();
  const server = useTestServer();
  const old = `id,review\r${crOnly(OLD_ROWS)}`.slice(0, -1);

  it.each([
    ['lf', '\n'],
    ['cr', '\r'],
  ])('keeps its answers for a run under another --prefix: no request (%s)', async (name, ending) => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const run = (input: string, output: string, more: string[] = [], extra: Record<string, string> = {}) =>
      runCli(['score', input, '--text-column', 'review', '--limit', String(OLD_ROWS), '-o', output, '--rpm', '600000', ...more], { env: { ...env, ...extra } });
    const input = dir.file(`${name}-killed-in.csv`, old);
    const output = dir.path(`${name}-killed-out.csv`);
    expect((await run(input, output)).code).toBe(0);
    writeFileSync(input, old + ending);
    const killed = await run(input, output, [], killAtRename(output, { when: 'before' }));
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with a line ending added after its last row/);

    running.reset();
    const other = await run(input, output, ['--prefix', 'mood']);
    expectCleanError(other.stderr);
    expect(other.code).toBe(0);
    expect(other.stderr).toMatch(/starting over; the answers of its output are kept for this job \(20 texts in /);
    expect(running.stats().total).toBe(0);
  });
});
