import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../src/server/fault-config.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, spawnCli, tempDir, waitFor, waitWhileRunning, type CliResult } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A run killed (kill -9) at the instants between the steps that complete a job
 * or a mend: the next run carries on from the files as they are, sending nothing
 * that was answered, starting nothing over, leaving nothing behind. The kill lands
 * at an exact step: the CLI is started with test/support/kill-at-rename.mjs
 * preloaded, which kills it right after (or before) a given rename (found by the
 * crash soak, `npm run bench -- kill-soak`, which hits these instants only by luck).
 */
const ROWS = 200;
// Some rows' texts keep failing (500) while the service is "still unwell".
const STILL_BAD: FaultRule = { textIncludes: 'STILL-BAD', respond: { status: 500 } };

describe('a run killed between the steps that start or complete a job or a mend', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  let healthy: Buffer;
  const env = (extra: Record<string, string> = {}) => ({ ...workersAiEnv(server, { token: 'token' }), ...extra });
  const killAtRenameTo = (file: string, when: 'before' | 'after' = 'after') => env(killAtRename(file, { when }));
  const args = (output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '2', '--max-error-rate', '1', '--log-level', 'warn', '--summary-json', `${output}.summary.json`];
  const summaryOf = (output: string) => JSON.parse(readFileSync(`${output}.summary.json`, 'utf8')) as { status: string; totals: Record<string, number>; failedRows?: { retry: number; final: number } };
  /** What is beside the output but it, its checkpoint and the test's summary file. */
  const leftBeside = (output: string) => readdirSync(path.dirname(output)).filter((name) => name.startsWith(path.basename(output)) && !['', '.checkpoint.json', '.summary.json'].includes(name.slice(path.basename(output).length)));

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 21 });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS, { marker: (i) => (i % 20 === 3 ? ' STILL-BAD' : '') }));
    const reference = path.join(dir, 'healthy', 'out.csv');
    expect((await runCli(args(reference), { env: env() })).code).toBe(0);
    healthy = readFileSync(reference);
    // One outage run, its files kept aside: each mend test below starts from a copy of them at the same path.
    outageListed = await outage(outageOutput());
    cpSync(path.dirname(outageOutput()), path.join(dir, 'outage-files'), { recursive: true });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** Scores `output` through an outage (35 % of answers 500, STILL-BAD rows always), leaving rows listed to mend. */
  async function outage(output: string): Promise<number> {
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 0.35, rules: [STILL_BAD] });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    const listed = summaryOf(output).failedRows?.retry ?? 0;
    expect(listed).toBeGreaterThan(ROWS / 10);
    return listed;
  }
  let outageListed: number;
  const outageOutput = () => path.join(dir, 'outage', 'out.csv');
  /**
   * The run to `output`, sent SIGTERM once requests are in flight (`what`, as waitFor says it), and again once its stop
   * line shows it took the first, while it waits (up to --grace 30s) for the answers in flight. The second went 300 ms
   * after the first by the test's clock, whether or not the run had taken the first, and with 3 s answers and the
   * default 5 s grace a late timer could find the run gone.
   */
  async function stoppedTwice(output: string, what: string): Promise<CliResult> {
    const child = spawnCli([...args(output), '--grace', '30s'], { env: env() });
    await waitWhileRunning(child, () => server.stats().inFlight > 0, what);
    child.kill('SIGTERM');
    await waitWhileRunning(child, () => child.said().stderr.includes('stopping: finishing requests in flight'), 'the stop line of the first SIGTERM');
    child.kill('SIGTERM');
    return child.result;
  }

  /** The files the outage run in beforeAll left (out.csv, its checkpoint, list of failed rows, journal, summary), put back where it wrote them. */
  function restoreOutage(): { output: string; listed: number } {
    const output = outageOutput();
    rmSync(path.dirname(output), { recursive: true, force: true });
    cpSync(path.join(dir, 'outage-files'), path.dirname(output), { recursive: true });
    expect(summaryOf(output).failedRows).toEqual({ retry: outageListed, final: 0 });
    return { output, listed: outageListed };
  }

  it('a mend killed right after its copy replaced the output: the next run finishes it and sends nothing', async () => {
    const { output } = restoreOutage();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const killed = await runCli(args(output), { env: killAtRenameTo(output) });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(output).equals(healthy)).toBe(true); // the copy is in place; the checkpoint did not record it yet

    server.reset();
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    // Was: "the checkpoint … does not match the files: … holds N bytes, the checkpoint recorded exactly M: starting over", every row sent again.
    expect(next.stderr).not.toMatch(/starting over/);
    expect(server.stats().total).toBe(0);
    expect(next.stdout).toMatch(/Already done/);
    expect(summaryOf(output).totals).toMatchObject({ read: ROWS, failed: 0 });
    expect(summaryOf(output).failedRows).toEqual({ retry: 0, final: 0 });
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  it('a mend killed after it recorded the replacement, before the rename: the next run renames the copy and sends nothing', async () => {
    const { output } = restoreOutage();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    // A mend saves its requests in the checkpoint every --checkpoint-interval while it scores (src/mend/mend-requests.ts):
    // none within 10 minutes, so the first rename onto the checkpoint is the one recording the replacement.
    const killed = await runCli([...args(output), '--checkpoint-interval', '10m'], { env: killAtRenameTo(`${output}.checkpoint.json`) });
    expect(killed.signal).toBe('SIGKILL');

    server.reset();
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    expect(next.stderr).not.toMatch(/starting over/);
    expect(server.stats().total).toBe(0);
    expect(summaryOf(output).totals).toMatchObject({ read: ROWS, failed: 0 });
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  it('a mend killed after a checkpoint saved while its copy was written: the next run mends, not "starting over"', async () => {
    const { output, listed } = restoreOutage();
    server.setFaults({ seed: 21, latency: '300ms' });
    // One request at a time, 300 ms each: the first rename onto the checkpoint is a save of the requests sent so far,
    // every 100 ms (the shortest --checkpoint-interval), while the mended copy is half written. That save recorded the half-written copy's sha256 as the
    // output's: the next run's proof of "already done" found the output not the completed job's, scored it afresh.
    const killed = await runCli([...args(output), '--concurrency', '1', '--checkpoint-interval', '100ms'], { env: killAtRenameTo(`${output}.checkpoint.json`) });
    expect(killed.signal).toBe('SIGKILL');

    server.setFaults({ seed: 21, latency: '1-3ms' });
    server.reset();
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    expect(next.stderr).not.toMatch(/starting over|does not match/);
    expect(server.stats().total).toBeLessThanOrEqual(listed);
    expect(summaryOf(output).totals).toMatchObject({ read: ROWS, failed: 0 });
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  it('a mend killed before the rename, its mended copy then removed by hand: the next run starts over, not "Already done"', async () => {
    const { output } = restoreOutage();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const killed = await runCli([...args(output), '--checkpoint-interval', '10m'], { env: killAtRenameTo(`${output}.checkpoint.json`) });
    expect(killed.signal).toBe('SIGKILL');
    rmSync(`${output}.partial`); // a leftover, to the eye of whoever tidies the folder

    server.reset();
    const next = await runCli(args(output), { env: env() });
    // Was: "Already done", exit 0, its rows counted scored while the output still held them failed (http_500).
    expect(next.code).toBe(0);
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(next.stderr).toMatch(/records a mend replacing .* with its mended copy .* but that copy is gone: starting over/);
    expect(summaryOf(output).totals).toMatchObject({ read: ROWS, failed: 0 });
  });

  it('a mend that left rows failing, killed right after the rename: the next run retries just those rows', async () => {
    const { output } = restoreOutage();
    // Still unwell for the STILL-BAD rows: the mend leaves them failed, listed for the next run.
    server.setFaults({ seed: 21, latency: '1-3ms', rules: [STILL_BAD] });
    const killed = await runCli(args(output), { env: killAtRenameTo(output) });
    expect(killed.signal).toBe('SIGKILL');

    server.reset();
    const next = await runCli(args(output), { env: env() });
    expect(next.stderr).not.toMatch(/starting over|edited or damaged/);
    // Every row it retried failed again: the output is as the outage run left it, and judged as it is, exit 0, its rows
    // still listed (docs/exit-codes.md#exit-5: until 2026-12-05 exit 5, judged on the mend's rows alone).
    expect(next.stdout).toMatch(/failed transiently: run the same command again to re-score just those rows/);
    expect(next.code).toBe(0);
    // Only the STILL-BAD rows were sent (two attempts each), not the whole input again.
    const stillBad = ROWS / 20;
    expect(server.stats().total).toBe(stillBad * 2);
    expect(summaryOf(output).failedRows).toEqual({ retry: stillBad, final: 0 });

    server.setFaults({ seed: 21, latency: '1-3ms' });
    const healed = await runCli(args(output), { env: env() });
    expect(healed.code).toBe(0);
    expect(healed.stdout).toMatch(new RegExp(`mended ${stillBad} rows`));
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  it('a mend that left rows failing, killed while it wrote their new list: the next run removes the temp file', async () => {
    const { output } = restoreOutage();
    server.setFaults({ seed: 21, latency: '1-3ms', rules: [STILL_BAD] });
    const killed = await runCli(args(output), { env: killAtRenameTo(`${output}.failed-rows.next`, 'before') });
    expect(killed.signal).toBe('SIGKILL');
    expect(leftBeside(output).filter((name) => /\.failed-rows\.next\.tmp-\d+$/.test(name))).toHaveLength(1);
    server.setFaults({ seed: 21, latency: '1-3ms' });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    // Was: out.csv.failed-rows.next.tmp-PID stayed beside the finished output for good.
    expect(leftBeside(output)).toEqual([]);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  it('killed between the completing checkpoint and the rename: the run that renames says how many rows are left to mend', async () => {
    const { output, listed } = restoreOutage();
    // The files a kill at that instant leaves: the checkpoint says complete, the output is still .partial.
    renameSync(output, `${output}.partial`);
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    expect(existsSync(output)).toBe(true);
    // Was: no failedRows in --summary-json and no line about them, as if nothing were left to mend.
    expect(summaryOf(output).failedRows).toEqual({ retry: listed, final: 0 });
    expect(next.stdout).toMatch(new RegExp(`${listed} rows failed transiently: run the same command again`));
    const mend = await runCli(args(output), { env: env() });
    expect(mend.stdout).toMatch(new RegExp(`mended ${listed} rows`));
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  // The run that renames reads no row: its summary's blank rows are the checkpoint's (finish-rename.ts), as its labels are.
  it('killed before the rename that completes the job: the run that renames says the job\'s blank rows', async () => {
    const blank = path.join(dir, 'blank.csv');
    writeFileSync(blank, 'title,review,rating\n"a","Absolutely love it","5"\n,,\n,\n');
    const output = path.join(dir, 'blank.scored.csv');
    const embedded = ['score', blank, '--text-column', 'review', '-o', output, '--backend', 'embedded'];
    const killed = await runCli(embedded, { env: killAtRename(output, { when: 'before' }) });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${output}.partial`)).toBe(true);
    const next = await runCli(embedded);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('this run: rows 0: scored 0');
    expect(next.stdout).toContain('\n  whole job: empty_text: 2 rows are blank, every field empty');
  });

  it('killed right after the rename that completes the job: the next run leaves no answer journal behind', async () => {
    const output = path.join(dir, 'e', 'out.csv');
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const killed = await runCli(args(output), { env: killAtRenameTo(output) });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${output}.journal`)).toBe(true);
    server.reset();
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/Already done/);
    expect(server.stats().total).toBe(0);
    // Was: the journal stayed beside the finished output for good.
    expect(leftBeside(output)).toEqual([]);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  it('a SIGTERM while the job is still loading: exit 130 and a --summary-json that says so', async () => {
    const output = path.join(dir, 'g', 'out.csv');
    const summaryFile = path.join(dir, 'g', 'summary', 'run.json');
    // --summary-json's folder is made once the settings are read, before the job's modules load and its handler is in place.
    const child = spawnCli([...args(output).slice(0, -1), summaryFile], { env: env() });
    await waitWhileRunning(child, () => existsSync(path.dirname(summaryFile)), 'the summary folder');
    child.kill('SIGTERM');
    const result = await child.result;
    expect(result.code).toBe(130);
    // Was: exit 130 and no summary file (or the previous run's left in place, "done", exit 0).
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130 });
  });

  it('a second SIGTERM while the first waits for the requests in flight: exit 130 and a --summary-json that says so', async () => {
    const output = path.join(dir, 'h', 'out.csv');
    const summaryFile = `${output}.summary.json`;
    // Answers take 10 s: the first SIGTERM waits for those in flight (--grace 30s), the second exits at once.
    server.setFaults({ seed: 21, latency: '10s' });
    const result = await stoppedTwice(output, 'requests in flight');
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/second SIGTERM, exiting now/);
    // Was: exit 130 and no summary file (or the previous run's left in place).
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130, message: expect.stringMatching(/^second SIGTERM/) });
    // Was owner-only (0600), where every other run's summary is 0644 (umask applied): test/summary-file-mode.test.ts.
    expect((statSync(summaryFile).mode & 0o777).toString(8)).toBe((0o644 & ~process.umask()).toString(8));
    server.setFaults({ seed: 21, latency: '1-3ms' });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  // Found by the kill soak (SIGTERM twice): the second came while the run's own summary was being written (its temp
  // file made, not yet renamed): exit 130 with no --summary-json (the previous run's left), a `.tmp-PID` beside it.
  it('a second SIGTERM while the first stop writes its --summary-json: that summary is written all the same, exit 130', async () => {
    const output = path.join(dir, 'h2', 'out.csv');
    const summaryFile = `${output}.summary.json`;
    server.setFaults({ seed: 21, latency: '3s' });
    // Requests of the test before may still be in flight at the server: wait for this run's own.
    const sentBefore = server.stats().total;
    const child = spawnCli(args(output), { env: env(killAtRename(summaryFile, { when: 'before', signal: 'SIGTERM' })) });
    await waitWhileRunning(child, () => server.stats().total > sentBefore, 'requests of this run in flight');
    child.kill('SIGTERM');
    const result = await child.result;
    server.setFaults({ seed: 21, latency: '1-3ms' });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/second SIGTERM, exiting now/);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130, message: 'stopped by SIGTERM; the checkpoint is saved' });
    expect(readdirSync(path.dirname(output)).filter((name) => name.includes('.summary.json.tmp-'))).toEqual([]);
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  // A completed run given SIGTERM as it wrote its --summary-json ("done"), and again just after (Ctrl-C twice, a
  // supervisor's repeated stop): the second signal's summary replaced "done" with "the last checkpoint is kept" and no
  // outputComplete, so a monitor took the complete output for an unfinished one. The hook signals before and after the rename.
  it('two SIGTERMs as a completed run writes its --summary-json: exit 130, and the summary says the output is complete', async () => {
    const output = path.join(dir, 'h3', 'out.csv');
    const summaryFile = `${output}.summary.json`;
    const result = await runCli(args(output), { env: env(killAtRename(summaryFile, { when: 'before', signal: 'SIGTERM' })) });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/second SIGTERM, exiting now/);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({
      status: 'interrupted',
      exitCode: 130,
      message: `second SIGTERM: exited at once as the run's summary was written; the output ${output} is complete`,
      outputComplete: true,
      totals: { read: ROWS },
    });
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  // Was: the second signal's summary had no outputComplete, where a mend stopped by one signal says it: a monitor
  // reading the summary took the complete output at its path for an unfinished one. Found by the docker stop soak.
  it('a second SIGTERM during a mend: exit 130, the output as it was, and a --summary-json that says it is complete', async () => {
    const { output } = restoreOutage();
    const before = readFileSync(output);
    // The tests before leave requests of their processes in the server for up to 10 s: they must not pass for this mend's.
    await waitFor(() => server.stats().inFlight === 0, 60_000, 'the requests of the tests before to end');
    server.setFaults({ seed: 21, latency: '10s' });
    const result = await stoppedTwice(output, 'the mend sending');
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/second SIGTERM, exiting now/);
    expect(JSON.parse(readFileSync(`${output}.summary.json`, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130, message: expect.stringMatching(/^second SIGTERM/), outputComplete: true });
    expect(readFileSync(output).equals(before)).toBe(true);
    server.setFaults({ seed: 21, latency: '1-3ms' });
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(readFileSync(output).equals(healthy)).toBe(true);
    expect(leftBeside(output)).toEqual([]);
  });

  it('killed while it rewrote the answer journal at its start: the next run removes the temp file', async () => {
    const output = path.join(dir, 'f', 'out.csv');
    server.setFaults({ seed: 21, latency: '1-3ms' });
    // Each Workers AI run starts by writing the journal it replays to a temp file renamed over it.
    const killed = await runCli(args(output), { env: killAtRenameTo(`${output}.journal`, 'before') });
    expect(killed.signal).toBe('SIGKILL');
    expect(leftBeside(output).filter((name) => /\.journal\.tmp-\d+$/.test(name))).toHaveLength(1);
    const next = await runCli(args(output), { env: env() });
    expect(next.code).toBe(0);
    // Was: out.csv.journal.tmp-PID stayed beside the finished output for good.
    expect(leftBeside(output)).toEqual([]);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });
});
