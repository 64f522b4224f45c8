import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, spawnCli, waitFor } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { rowCounts, summaryOf } from './support/job-summary-file.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const BEFORE = 200;
const AFTER = 300;
const KILL_HOOK = path.join(REPO_ROOT, 'test/support/kill-at-rename.mjs');

/**
 * The nightly export that grows: yesterday's file with rows appended, its consumed bytes the same up to where the
 * completed job read. It was scored afresh, every row paid for again; it is continued now (job/grown-input.ts): only
 * the new rows are scored, and the output is byte for byte a fresh run's of the new file. What is not growth (an
 * edit, a shorter file, a last row continued, --limit, other settings, standard input) is as before.
 */
describe('a completed job whose export grew (rows appended) is continued', () => {
  const dir = useTempDir();
  const server = useTestServer();
  const args = (input: string, output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--summary-json', `${output}.summary.json`, ...extra];
  const embedded = (input: string, output: string, ...extra: string[]) => runCli(args(input, output, '--backend', 'embedded', ...extra));

  /** A fresh run of `content` in a folder of its own: the output's bytes and summary. */
  async function freshRun(content: string | Buffer, name: string, run: (input: string, output: string) => Promise<{ code: number | null }>) {
    const input = dir.file(`fresh-${name}`, content);
    const output = dir.path(`fresh-${name}.out.csv`);
    expect((await run(input, output)).code).toBe(0);
    return { bytes: readFileSync(output), summary: summaryOf(output) };
  }

  it('embedded: only the appended rows are scored; the output, labels and totals are a fresh run of the new file', async () => {
    const input = dir.file('in.csv', syntheticCsv(BEFORE));
    const output = dir.path('out.csv');
    expect((await embedded(input, output)).code).toBe(0);
    writeFileSync(input, syntheticCsv(AFTER));
    const grown = await embedded(input, output);
    expectCleanError(grown.stderr);
    expect(grown.code).toBe(0);
    expect(grown.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with rows appended; its 200 rows are kept and only the rows after them are scored/);
    const summary = summaryOf(output);
    expect(summary.status).toBe('done');
    expect(summary.resumed).toBe(true);
    expect(summary.run.totals.read).toBe(AFTER - BEFORE);
    const fresh = await freshRun(syntheticCsv(AFTER), 'embedded.csv', (i, o) => embedded(i, o));
    expect(readFileSync(output).equals(fresh.bytes)).toBe(true);
    expect(rowCounts(summary)).toEqual(rowCounts(fresh.summary));
    expect(existsSync(`${output}.partial`)).toBe(false);
    // Done now: the same file again is already done.
    const again = await embedded(input, output);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already done/);
  });

  it('Workers AI (serve): only the appended rows are sent, also under --resume require, and a gzip of the grown file continues too', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const paid = (input: string, output: string, ...extra: string[]) => runCli(args(input, output, '--rpm', '600000', ...extra), { env });
    const fresh = await freshRun(syntheticCsv(AFTER), 'paid.csv', (i, o) => paid(i, o));
    running.reset();
    await freshRun(syntheticCsv(BEFORE), 'paid-before.csv', (i, o) => paid(i, o));
    const before = running.stats().total;
    running.reset();
    await freshRun(syntheticCsv(AFTER), 'paid-again.csv', (i, o) => paid(i, o));
    const newRequests = running.stats().total - before;
    expect(newRequests).toBeGreaterThan(50);

    const input = dir.file('in.csv', syntheticCsv(BEFORE));
    const output = dir.path('out.csv');
    expect((await paid(input, output)).code).toBe(0);
    writeFileSync(input, syntheticCsv(AFTER));
    running.reset();
    const grown = await paid(input, output, '--resume', 'require');
    expect(grown.code).toBe(0);
    expect(grown.stderr).toMatch(/Continuing:/);
    expect(running.stats().total).toBe(newRequests);
    expect(readFileSync(output).equals(fresh.bytes)).toBe(true);
    expect(rowCounts(summaryOf(output))).toEqual(rowCounts(fresh.summary));

    // gzip: the grown file's gzip is no byte prefix of the old gzip; the decompressed bytes are compared.
    const gzInput = dir.file('z.csv.gz', gzipSync(syntheticCsv(BEFORE)));
    const gzOutput = dir.path('z.out.csv');
    expect((await paid(gzInput, gzOutput)).code).toBe(0);
    writeFileSync(gzInput, gzipSync(syntheticCsv(AFTER)));
    running.reset();
    const gz = await paid(gzInput, gzOutput);
    expect(gz.code).toBe(0);
    expect(gz.stderr).toMatch(/Continuing:/);
    expect(running.stats().total).toBe(newRequests);
    expect(readFileSync(gzOutput).equals(fresh.bytes)).toBe(true);
  });

  it('the default output: x.csv gzipped in place, then rows appended, continues as x.csv.gz; x.csv put back is refused', async () => {
    const plain = dir.file('x.csv', syntheticCsv(BEFORE));
    const defaultOutput = dir.path('x.scored.csv');
    const run = (input: string) => runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '--summary-json', `${defaultOutput}.summary.json`]);
    expect((await run(plain)).code).toBe(0);
    const gz = dir.file('x.csv.gz', gzipSync(syntheticCsv(AFTER)));
    // x.csv still beside it: its bytes grown are still its job (as for a paused job's gzip).
    const grown = await run(gz);
    expect(grown.code).toBe(0);
    expect(grown.stderr).toMatch(/Continuing:/);
    expect(summaryOf(defaultOutput).run.totals.read).toBe(AFTER - BEFORE);
    const fresh = await freshRun(syntheticCsv(AFTER), 'x.csv', (i, o) => embedded(i, o));
    expect(readFileSync(defaultOutput).equals(fresh.bytes)).toBe(true);
    // The old, shorter x.csv is not x.csv.gz's bytes: refused at their shared default output, as before.
    const back = await run(plain);
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(/is the output of another input, \S*x\.csv\.gz \(/);
  });

  const old = syntheticCsv(BEFORE);
  const grownText = syntheticCsv(AFTER);
  const noFinalNewline = old.slice(0, -1);
  const CHANGED = /the input changed since the checkpoint of the completed job/;
  const GOES_ON = /the input goes on after the \d+ bytes the completed job read, but not after a line ending: its last row, read at the end of its file with no LF/;
  it.each([
    ['a byte edited inside the consumed part (rows appended too)', old, grownText.replace('Review number 7:', 'Review number 7;'), CHANGED],
    ['a file shorter than the consumed part', old, syntheticCsv(150), CHANGED],
    // The bytes read are the same: said so, not "changed" (the bytes the job read differ).
    ['the last consumed row, which had no line ending, continued', noFinalNewline, `${noFinalNewline}5\n${grownText.slice(old.length)}`, GOES_ON],
  ])('not growth, scored afresh as before: %s', async (_what, first, second, said) => {
    const input = dir.file('in.csv', first);
    const output = dir.path('out.csv');
    expect((await embedded(input, output)).code).toBe(0);
    writeFileSync(input, second);
    const rerun = await embedded(input, output);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/Continuing/);
    expect(rerun.stderr).toMatch(said);
    const summary = summaryOf(output);
    expect(summary.resumed).toBe(false);
    expect(summary.run.totals.read).toBe(summary.totals.read);
    const fresh = await freshRun(second, 'case.csv', (i, o) => embedded(i, o));
    expect(readFileSync(output).equals(fresh.bytes)).toBe(true);
  });

  it('not growth: a --limit job is already done; other settings start over; standard input is scored afresh', async () => {
    const input = dir.file('in.csv', old);
    const limited = dir.path('limited.csv');
    expect((await embedded(input, limited, '--limit', '150')).code).toBe(0);
    const limitedBytes = readFileSync(limited);
    const output = dir.path('out.csv');
    expect((await embedded(input, output)).code).toBe(0);
    writeFileSync(input, grownText);

    const limitRerun = await embedded(input, limited, '--limit', '150');
    expect(limitRerun.code).toBe(0);
    expect(limitRerun.stdout).toMatch(/Already done/);
    expect(limitRerun.stderr).not.toMatch(/Continuing/);
    expect(readFileSync(limited).equals(limitedBytes)).toBe(true);

    const prefixed = await embedded(input, output, '--prefix', 'mood');
    expect(prefixed.code).toBe(0);
    expect(prefixed.stderr).not.toMatch(/Continuing/);
    // The settings' start-over, which keeps a paid output's answers (e2e-grown-limit), not "the input changed".
    expect(prefixed.stderr).toMatch(/the settings that shape the output \(.*\) differ from the checkpoint's \(prefix: 'sentiment' then, 'mood' now\): starting over/);
    expect(summaryOf(output).run.totals.read).toBe(AFTER);

    // Standard input keeps no checkpoint: nothing tells it is the file the job read. The grown bytes are scored whole.
    const piped = dir.path('piped.csv');
    expect((await embedded(input, piped)).code).toBe(0);
    const fromStdin = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', piped, '--backend', 'embedded', '--summary-json', `${piped}.summary.json`], { input: `${grownText}` });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stderr).not.toMatch(/Continuing/);
    expect(summaryOf(piped).run.totals.read).toBe(AFTER);
  });

  /**
   * kill -9 at each step of a continuation (the output copied to the partial output, the checkpoint made a paused
   * one's, rows scored, the rename): the output's path holds the old complete output or the new one, never a part, and
   * the rerun pays only for the rows not yet answered (the journal keeps those answered; requests in flight at the kill
   * are paid again).
   */
  it('kill -9 at any step leaves the old or the new complete output; the rerun pays only for rows not yet answered', async () => {
    const running = await server.start({ latency: '5-10ms' });
    const env = workersAiEnv(running);
    const concurrency = 4;
    const paidArgs = (input: string, output: string) => args(input, output, '--rpm', '600000', '--concurrency', String(concurrency), '--checkpoint-interval', '100ms');
    const fresh = await freshRun(grownText, 'kill.csv', (i, o) => runCli(paidArgs(i, o), { env }));
    const whole = running.stats().total;
    running.reset();
    await freshRun(old, 'kill-before.csv', (i, o) => runCli(paidArgs(i, o), { env }));
    const newRequests = whole - running.stats().total;

    let round = 0;
    /** A completed job of the old file, then the grown file; returns the paths and the old output's bytes. */
    async function completedThenGrown() {
      round += 1;
      const input = dir.file(`in-${round}.csv`, old);
      const output = dir.path(`out-${round}.csv`);
      expect((await runCli(paidArgs(input, output), { env })).code).toBe(0);
      writeFileSync(input, grownText);
      return { input, output, oldBytes: readFileSync(output) };
    }
    const expectWhole = (output: string, oldBytes: Buffer) => {
      const now = readFileSync(output);
      expect(now.equals(oldBytes) || now.equals(fresh.bytes)).toBe(true);
    };
    const finish = async (input: string, output: string) => {
      const rerun = await runCli(paidArgs(input, output), { env });
      expectCleanError(rerun.stderr);
      expect(rerun.code).toBe(0);
      expect(readFileSync(output).equals(fresh.bytes)).toBe(true);
    };
    const steps: Array<{ to: (output: string) => string; when: 'before' | 'after'; nth?: number; paidBefore: 'none' | 'all' }> = [
      { to: (o) => `${o}.partial`, when: 'after', paidBefore: 'none' },
      { to: (o) => `${o}.checkpoint.json`, when: 'after', paidBefore: 'none' },
      { to: (o) => o, when: 'before', paidBefore: 'all' },
      { to: (o) => o, when: 'after', paidBefore: 'all' },
    ];
    for (const step of steps) {
      const { input, output, oldBytes } = await completedThenGrown();
      running.reset();
      const killed = await runCli(paidArgs(input, output), { env: { ...env, NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: step.to(output), SB_TEST_KILL_RENAME_WHEN: step.when } });
      expect(killed.signal).toBe('SIGKILL');
      expectWhole(output, oldBytes);
      expect(running.stats().total).toBe(step.paidBefore === 'none' ? 0 : newRequests);
      running.reset();
      await finish(input, output);
      // Nothing answered is paid again.
      expect(running.stats().total).toBe(step.paidBefore === 'none' ? newRequests : 0);
    }

    // Killed while rows are scored: the old output stays; the rerun sends only what was not answered.
    const { input, output, oldBytes } = await completedThenGrown();
    running.reset();
    const child = spawnCli(paidArgs(input, output), { env });
    await waitFor(() => running.stats().total >= newRequests / 2, 20_000, 'half the new rows sent');
    child.kill('SIGKILL');
    await child.result;
    expectWhole(output, oldBytes);
    expect(readFileSync(output).equals(oldBytes)).toBe(true);
    const sentBeforeKill = running.stats().total;
    expect(sentBeforeKill).toBeLessThan(newRequests);
    await finish(input, output);
    expect(running.stats().total).toBeGreaterThanOrEqual(newRequests);
    expect(running.stats().total).toBeLessThanOrEqual(newRequests + concurrency);
  });

  /**
   * Found on the way: a job completed over an earlier output at its path (a new export started over, or a grown one
   * continued) and killed between its completing checkpoint and the rename was proven as "already done" against the
   * earlier output, whose length disagreed: it started over, every row paid again. The rerun now finishes the rename.
   */
  it('a new export started over, killed before the rename over the old output: the rerun renames, nothing paid again', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const input = dir.file('in.csv', old);
    const output = dir.path('out.csv');
    const paidArgs = args(input, output, '--rpm', '600000');
    expect((await runCli(paidArgs, { env })).code).toBe(0);
    const oldBytes = readFileSync(output);
    const other = syntheticCsv(AFTER, { marker: () => ' v2' });
    writeFileSync(input, other);
    running.reset();
    const killed = await runCli(paidArgs, { env: { ...env, NODE_OPTIONS: `--import ${KILL_HOOK}`, SB_TEST_KILL_RENAME_TO: output, SB_TEST_KILL_RENAME_WHEN: 'before' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(output).equals(oldBytes)).toBe(true);
    const paid = running.stats().total;
    running.reset();
    const rerun = await runCli(paidArgs, { env });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/starting over|scoring it afresh/);
    expect(running.stats().total).toBe(0);
    const fresh = await freshRun(other, 'other.csv', (i, o) => runCli(args(i, o, '--rpm', '600000'), { env }));
    expect(readFileSync(output).equals(fresh.bytes)).toBe(true);
    expect(paid).toBeGreaterThan(0);
  });
});
