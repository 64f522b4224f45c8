import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, REPO_ROOT, runCli, tempDir } from './support/cli.js';

/**
 * Standard output sent to a file (`> scored.csv`, cron's `>> log`) under a file-size limit (`ulimit -f`) it outgrows:
 * the write is refused with EFBIG, on a disk with room. The line said "free space where it goes", which does not help;
 * it names the limit and how to raise it, as a file the job writes does (e2e-file-size-limit.test.ts).
 */
const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const NO_TRACE = /\n\s+at |internal error|Unhandled/;
// sh's `ulimit -f` counts blocks of 512 bytes (POSIX): 2 blocks, 1,024 bytes.
const LIMIT = /file-size limit \(ulimit -f 1: 1,024 bytes\): raise it \(ulimit -f unlimited/;

/** Runs the CLI under `ulimit -f 2` with standard output into `into`; standard error captured. */
function runIntoLimited(args: string[], into: string): Promise<{ code: number | null; stderr: string }> {
  const out = openSync(into, 'w');
  const child = spawn('sh', ['-c', 'ulimit -f 2 && exec "$@"', 'sh', process.execPath, builtCli(), ...args], { cwd: REPO_ROOT, env: cleanEnv(), stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('standard output into a file past the file-size limit (ulimit -f)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('score -o -: exit 74 naming the limit, not "free space"', async () => {
    const into = path.join(dir, 'records.csv');
    const ended = await runIntoLimited(['score', FIXTURE, '--text-column', 'review', '-o', '-', '--log-level', 'warn'], into);
    expect(ended.stderr).not.toMatch(NO_TRACE);
    // The bytes the file holds: the refused write's rest is not counted (it said 1066 of a file of 1024).
    expect(ended.stderr).toMatch(/\nsentiment-batch: could not write to standard output after 1024 bytes \(EFBIG: file too large, write\); the rest of the records were not written: /);
    expect(ended.stderr).toMatch(LIMIT);
    expect(ended.stderr).not.toMatch(/free space/);
    expect(ended.code).toBe(74);
    expect(statSync(into).size).toBe(1024);
  });

  // Node writes standard output to a file with one write(2) per chunk and took a short count for the whole chunk: the
  // write that crossed the limit kept its first part and nothing failed (exit 0, "Done", the output cut short).
  it('score -o -: the last record cut by the limit is exit 74, not "Done" and exit 0', async () => {
    const input = path.join(dir, 'long-last.csv');
    writeFileSync(input, `id,review\n1,fine\n2,${'a long and very happy review '.repeat(60)}\n`);
    const into = path.join(dir, 'long-last.scored.csv');
    const ended = await runIntoLimited(['score', input, '--text-column', 'review', '-o', '-', '--log-level', 'warn'], into);
    expect(ended.stderr).not.toMatch(/^Done: /);
    expect(ended.stderr).toMatch(/\nsentiment-batch: could not write to standard output after 1024 bytes \(EFBIG: file too large, write\)/);
    expect(ended.code).toBe(74);
    expect(statSync(into).size).toBe(1024);
  });

  // The run's counts per label were taken as a row was formatted, before its write: the row the limit refused was
  // counted in them but not in the rows (`rows 5: scored 5` above `scored as POSITIVE 3 · NEGATIVE 3`).
  it('score -o -: the run\'s labels count the rows written, not the one the limit refused', async () => {
    const ended = await runIntoLimited(['score', FIXTURE, '--text-column', 'review', '-o', '-'], path.join(dir, 'counted.csv'));
    expect(ended.code).toBe(74);
    const line = ended.stderr.split('\n').find((l) => l.includes('"msg":"summary"'));
    const summary = (JSON.parse(line ?? '{}') as { summary: { totals: { scored: number }; labels: Record<string, number>; run: { totals: { scored: number }; labels: Record<string, number> } } }).summary;
    const sum = (labels: Record<string, number>) => Object.values(labels).reduce((a, b) => a + b, 0);
    expect(summary.run.totals.scored).toBeGreaterThan(0);
    expect(sum(summary.run.labels)).toBe(summary.run.totals.scored);
    expect(sum(summary.labels)).toBe(summary.totals.scored);
  });

  it('report -o -: exit 74 naming the limit', async () => {
    const scored = path.join(dir, 'scored.csv');
    expect((await runCli(['score', FIXTURE, '--text-column', 'review', '-o', scored])).code).toBe(0);
    const ended = await runIntoLimited(['report', scored, '-o', '-', '--format', 'json'], path.join(dir, 'report.json'));
    expect(ended.stderr).toMatch(/^sentiment-batch: could not write to standard output \(EFBIG: file too large, write\); the report was not written whole: /);
    expect(ended.stderr).toMatch(LIMIT);
    expect(ended.stderr).not.toMatch(/free space/);
    expect(ended.code).toBe(74);
  });

  // The readable log lines (--log-format pretty) are written to descriptor 2 by the logger itself, not through
  // process.stderr: a line the limit cut kept its first part and nothing failed (exit 0, the log line cut), where the
  // JSON lines' writer goes on with the rest and meets EFBIG (exit 74). Standard error is cron's `>> log 2>&1` here,
  // 8,150 bytes long under an 8 KiB limit; the run's only line to it is the one that says which model scores.
  it('score --log-format pretty with standard error into a file: a log line cut by the limit is exit 74, as with JSON lines', async () => {
    const input = path.join(dir, 'one-row.csv');
    writeFileSync(input, 'id,review\n1,a fine film\n');
    const codes: Record<string, number | null> = {};
    for (const format of ['pretty', 'json']) {
      const log = path.join(dir, `cron-${format}.log`);
      writeFileSync(log, `${'x'.repeat(8149)}\n`);
      const err = openSync(log, 'a');
      const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, `one-row-${format}.csv`), '--log-format', format];
      const child = spawn('sh', ['-c', 'ulimit -f 16 && exec "$@"', 'sh', process.execPath, builtCli(), ...args], { cwd: REPO_ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', err] });
      closeSync(err);
      child.stdout?.resume();
      codes[format] = await new Promise<number | null>((resolve) => child.on('close', resolve));
      // The line was longer than the 42 bytes left: the file is at its limit.
      expect(readFileSync(log).length).toBe(8192);
    }
    expect(codes).toEqual({ pretty: 74, json: 74 });
  });

  it('--help: exit 74 naming the limit', async () => {
    const ended = await runIntoLimited(['--help'], path.join(dir, 'help.txt'));
    expect(ended.stderr).toMatch(/^sentiment-batch: could not write to standard output \(EFBIG: file too large, write\): what was printed there is lost \(the command's work is done\); /);
    expect(ended.stderr).toMatch(LIMIT);
    expect(ended.stderr).not.toMatch(/free space/);
    expect(ended.code).toBe(74);
  });
});
