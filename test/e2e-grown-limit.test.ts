import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const BEFORE = 60;
const AFTER = 140;
const LIMIT = 100;

/**
 * A --limit job that completed short of its limit (the export held fewer rows than --limit) read its input to the end,
 * like a job without a limit. Its export grown, a fresh run of the same command writes more rows: the rerun must too.
 * A gzip export so grown said "Already done", exit 0, its output the old 60 rows where --limit 100 of the new file is
 * 100 (found by operator9's nightly runs; the plain file was started over, as the proof reads on after the offset, every
 * row scored again). Both are continued now, as a grown export without --limit is: only the rows up to the limit are scored.
 */
describe('a --limit job completed short of its limit, its export grown', () => {
  const dir = useTempDir();
  const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--limit', String(LIMIT), '--backend', 'embedded', '--summary-json', `${output}.summary.json`];
  const old = syntheticCsv(BEFORE);
  const grown = syntheticCsv(AFTER);

  for (const gzip of [false, true]) {
    it(`${gzip ? 'gzip' : 'plain'}: the rerun's output is a fresh run's of the grown file, up to the limit`, async () => {
      const name = gzip ? 'in.csv.gz' : 'in.csv';
      const content = (text: string) => (gzip ? gzipSync(text) : text);
      const input = dir.file(name, content(old));
      const output = dir.path('out.csv');
      expect((await runCli(args(input, output))).code).toBe(0);
      writeFileSync(input, content(grown));

      const rerun = await runCli(args(input, output));
      expectCleanError(rerun.stderr);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).not.toMatch(/Already done/);
      // Continued as a grown export is: only the rows up to the limit are scored, the old ones kept.
      expect(rerun.stderr).toMatch(new RegExp(`Continuing: the input is the completed job's \\d+ bytes with rows appended; its ${BEFORE} rows are kept and only the rows after them, up to --limit ${LIMIT}, are scored`));
      const summary = JSON.parse(readFileSync(`${output}.summary.json`, 'utf8')) as { resumed: boolean; totals: { read: number }; run: { totals: { read: number } } };
      expect(summary).toMatchObject({ resumed: true, totals: { read: LIMIT }, run: { totals: { read: LIMIT - BEFORE } } });

      const fresh = dir.path('fresh.csv');
      expect((await runCli(args(dir.file(`fresh-${name}`, content(grown)), fresh))).code).toBe(0);
      expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
      expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(LIMIT + 1);
    });
  }

  /**
   * A --limit job that reached its limit on the export's last row, written without a line ending: the next night that
   * row ends with one and rows follow (or only the line ending is added). A fresh run of the same command ends that row
   * with it; the rerun said "Already done", exit 0, and kept an output whose last row has no line ending. It is continued
   * now as the line-ending-only growth is: 0 rows scored, the output gains the line ending.
   */
  const withoutFinalEnding = (text: string) => text.replace(/\r?\n$/, '');
  for (const [what, gzip, after] of [
    ['plain, rows after it', false, syntheticCsv(AFTER)],
    ['gzip, rows after it', true, syntheticCsv(AFTER)],
    ['plain, only the line ending', false, syntheticCsv(LIMIT)],
    ['plain CRLF, rows after it', false, syntheticCsv(AFTER).replace(/\n/g, '\r\n')],
  ] as const) {
    it(`reached on a last row without a line ending, which has one now (${what}): the output gains it, nothing is scored`, async () => {
      const name = gzip ? 'ended.csv.gz' : 'ended.csv';
      const content = (text: string) => (gzip ? gzipSync(text) : text);
      const crlf = after.includes('\r\n');
      const limited = syntheticCsv(LIMIT);
      const old = withoutFinalEnding(crlf ? limited.replace(/\n/g, '\r\n') : limited);
      expect(after.startsWith(old) && !old.endsWith('\n')).toBe(true);
      const input = dir.file(name, content(old));
      const output = dir.path('ended-out.csv');
      expect((await runCli(args(input, output))).code).toBe(0);
      writeFileSync(input, content(after));

      const rerun = await runCli(args(input, output));
      expectCleanError(rerun.stderr);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).not.toMatch(/Already done/);
      expect(rerun.stderr).toMatch(new RegExp(`Continuing: the input is the completed job's \\d+ bytes with a line ending added after its last row, which it lacked; its ${LIMIT} rows are kept, none is scored \\(--limit ${LIMIT} reached\\), and the output gains the same line ending`));
      const summary = JSON.parse(readFileSync(`${output}.summary.json`, 'utf8')) as { resumed: boolean; totals: { read: number }; run: { totals: { read: number } } };
      expect(summary).toMatchObject({ resumed: true, totals: { read: LIMIT }, run: { totals: { read: 0 } } });

      const fresh = dir.path('ended-fresh.csv');
      expect((await runCli(args(dir.file(`fresh-${name}`, content(after)), fresh))).code).toBe(0);
      expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
      // And the night after, the export grown again: already done, the output as it is.
      writeFileSync(input, content(`${after}${crlf ? '1000,"more",1\r\n' : '1000,"more",1\n'}`));
      const again = await runCli(args(input, output));
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Already done/);
      expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
    });
  }

  // Killed once the completed job is made a paused one: the rerun resumes that paused job and still owes the line ending
  // (job/owed-ending.ts reads it from the input, not from the decision that continued the completed job).
  it('reached on a last row without a line ending, killed once made a paused one: the resumed run adds the line ending', async () => {
    const input = dir.file('killed.csv', withoutFinalEnding(syntheticCsv(LIMIT)));
    const output = dir.path('killed-out.csv');
    expect((await runCli(args(input, output))).code).toBe(0);
    writeFileSync(input, syntheticCsv(AFTER));
    const killed = await runCli(args(input, output), {
      env: { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs')}`, SB_TEST_KILL_RENAME_TO: `${output}.checkpoint.json`, SB_TEST_KILL_RENAME_WHEN: 'after' },
    });
    expect(killed.signal).toBe('SIGKILL');
    const rerun = await runCli(args(input, output));
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/this run: rows 0/);
    const fresh = dir.path('killed-fresh.csv');
    expect((await runCli(args(dir.file('killed-fresh-in.csv', syntheticCsv(AFTER)), fresh))).code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });

  /**
   * The same job's --limit raised as the export grew (--limit 100 over 60 rows, then --limit 120 over 140): other
   * settings, so the job starts over, and the completed output's answers are kept for it as for the same input under
   * changed settings. Once a --limit job short of its limit was no longer taken for the same input (above), its grown
   * export was "the input changed", and the rows paid for were sent again (106 requests where 53, against serve).
   */
  const server = useTestServer();
  it('another --limit over the grown export: the answers of the completed output are kept, only the new rows are sent', async () => {
    const running = await server.start();
    const env = workersAiEnv(running);
    const paid = (input: string, output: string, limit: number) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--limit', String(limit), '--rpm', '600000', '--summary-json', `${output}.summary.json`], { env });
    const input = dir.file('paid.csv', old);
    const output = dir.path('paid-out.csv');
    expect((await paid(input, output, LIMIT)).code).toBe(0);
    const first = running.stats().total;
    writeFileSync(input, grown);
    running.reset();

    const raised = await paid(input, output, LIMIT + 20);
    expectCleanError(raised.stderr);
    expect(raised.code).toBe(0);
    expect(raised.stderr).toMatch(/the answers of its output are kept for this job/);
    const sent = running.stats().total;
    const fresh = dir.path('paid-fresh.csv');
    running.reset();
    expect((await paid(dir.file('paid-fresh-in.csv', grown), fresh, LIMIT + 20)).code).toBe(0);
    // A fresh run of the grown export sends every text of its 120 rows; the job started over only those the first 60 did not.
    expect(sent).toBe(running.stats().total - first);
    expect(sent).toBeGreaterThan(0);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });
});
