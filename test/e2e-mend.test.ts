import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import type { FaultRule } from '../src/server/fault-config.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { runCli, spawnCli, tempDir, waitFor } from './support/cli.js';
import { canMount } from './support/mount.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * Mending: after an outage, the same command on a healthy service re-scores
 * just the rows that failed transiently and rewrites the output, identical to
 * a run that never saw the outage; rows refused for their content stay failed.
 */
const ROWS = 300;
// Every 50th review is refused for its content (400, code 5006): that is an answer, not an outage.
const REFUSED: FaultRule = { textIncludes: 'REFUSE-ME', respond: { status: 400, code: 5006 } };

describe('mending failed rows', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const TOKEN = 'token-abcdef123456';
  const env = () => workersAiEnv(server, { token: TOKEN });
  const args = (output: string, attempts = 2) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', String(attempts), '--log-level', 'warn'];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', seed: 11, rules: [REFUSED], token: TOKEN });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS, { marker: (i) => (i % 50 === 7 ? ' REFUSE-ME' : '') }));
    // The healthy run every test compares with (any seed: a healthy service answers the same).
    expect((await runCli(args(healthyOutput()), { env: env() })).code).toBe(0);
    // One outage run (35 % of answers 500) whose files the tests below start from, each on a copy put back at the same path.
    server.setFaults({ seed: 11, latency: '1-5ms', failRate: 0.35, rules: [REFUSED] });
    server.reset();
    expect((await runCli([...args(outageOutput()), '--summary-json', outageSummary()], { env: env() })).code).toBe(0);
    outageRequests = server.stats().total;
    cpSync(path.dirname(outageOutput()), path.join(dir, 'outage-files'), { recursive: true });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  let outageRequests: number;
  const healthyOutput = () => path.join(dir, 'healthy.csv');
  const outageOutput = () => path.join(dir, 'outage', 'out.csv');
  const outageSummary = () => path.join(dir, 'outage', 'out.json');
  /** Puts back the files the outage run in beforeAll left (output, checkpoint, list of failed rows, journal, its --summary-json) where it wrote them. */
  function restoreOutage(): string {
    rmSync(path.dirname(outageOutput()), { recursive: true, force: true });
    cpSync(path.join(dir, 'outage-files'), path.dirname(outageOutput()), { recursive: true });
    return outageOutput();
  }

  /** The outage's output put back, then the service healed (answers taking `latency`) and its counts zeroed: the output, the outage's requests and output. */
  function outageThenHealed(seed: number, latency: string): { output: string; outageRequests: number; outageBytes: Buffer } {
    const output = restoreOutage();
    server.setFaults({ seed, latency, rules: [REFUSED] });
    server.reset();
    return { output, outageRequests, outageBytes: readFileSync(output) };
  }

  it('sends only the rows that failed in an outage and ends identical to a healthy run', async () => {
    const healthy = healthyOutput();
    // The outage run's files, with its --summary-json (beforeAll: exit 0).
    const output = restoreOutage();
    const summaryFile = outageSummary();
    const summary = () => JSON.parse(readFileSync(summaryFile, 'utf8')) as { totals: Record<string, number>; run: { totals: Record<string, number> } };
    const outageRequests = summary().totals['requests'] as number;
    const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    const transient = rows.filter((row) => row.sentiment_error?.startsWith('http_500'));
    const refused = rows.filter((row) => row.sentiment_error?.startsWith('bad_input'));
    expect(transient.length).toBeGreaterThan(20);
    expect(refused.length).toBe(ROWS / 50);
    const textsToSend = new Set(transient.map((row) => row.review)).size;

    server.setFaults({ seed: 11, latency: '1-5ms', rules: [REFUSED] });
    server.reset();
    const mended = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
    expect(mended.code).toBe(0);
    expect(mended.stdout).toMatch(new RegExp(`mended ${transient.length} rows that had failed transiently \\(${refused.length} rows still failed\\)`));
    // Only the failed rows' texts were sent: not one of the rows that had an answer, not the refused ones.
    expect(server.stats().total).toBe(textsToSend);
    // The summary tells this run's work (the rows it mended, the requests the server saw), and the job's totals grow by it.
    expect(mended.stdout).toMatch(new RegExp(`rows ${transient.length}: scored ${transient.length}, skipped 0, failed 0`));
    expect(mended.stdout).toMatch(new RegExp(`requests sent ${textsToSend} \\(answered ${textsToSend} `));
    expect(summary().run.totals).toMatchObject({ read: transient.length, scored: transient.length, failed: 0, requests: textsToSend });
    const job = summary().totals;
    expect(job).toMatchObject({ read: ROWS, failed: refused.length, requests: outageRequests + textsToSend });
    expect((job['scored'] as number) + (job['skipped'] as number) + (job['failed'] as number)).toBe(ROWS);
    expect(readFileSync(output).equals(readFileSync(healthy))).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);

    // Nothing left to mend: already done, nothing sent.
    server.reset();
    const again = await runCli(args(output), { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already done/);
    expect(server.stats().total).toBe(0);
  });

  it('a mend record edited into the completed job\'s checkpoint, claiming no row left listed, starts over: its rows are not dropped from the list', async () => {
    const { output } = outageThenHealed(16, '1-5ms');
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(checkpoint.listedFailures).toBeGreaterThan(20);
    // The output as it is taken for the mended copy, leaving no row listed: the next run "finished" that mend, removed
    // the list, and said "Already done", its rows that had failed transiently "refused for their text", exit 0.
    checkpoint.mending = { outputBytes: readFileSync(output).length, listedFailures: 0 };
    writeFileSync(`${output}.checkpoint.json`, JSON.stringify(checkpoint));
    const rerun = await runCli(args(output), { env: env() });
    expect(rerun.stderr).toMatch(/does not match the files: it records a mend that leaves 0 rows listed, but the list of failed rows .*out\.csv\.failed-rows sealed to its copy .*out\.csv holds \d+: starting over/);
    expect(rerun.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(healthyOutput()))).toBe(true);
  });

  it('after a mend the checkpoint says where the output\'s last record starts now, so a resume\'s proof of it holds', async () => {
    const { output } = outageThenHealed(11, '1-5ms');
    const before = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    const mended = await runCli(args(output), { env: env() });
    expect(mended.code).toBe(0);
    expect(mended.stdout).toMatch(/mended \d+ rows/);
    const bytes = readFileSync(output);
    const { position } = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    // The mended rows changed the output's length, so the last record moved (its offset was left as it was: past the output's end).
    expect(position.outputBytes).toBe(bytes.length);
    expect(position.outputBytes).not.toBe(before.position.outputBytes);
    const lastLine = bytes.subarray(bytes.subarray(0, -1).lastIndexOf(0x0a) + 1);
    expect(position.lastOutputStart).toBe(bytes.length - lastLine.length);
    // The state a run killed between its completing checkpoint and its rename leaves: the next run proves the checkpoint
    // against the last record and finishes the rename, sending nothing (it started over, sending every row again).
    renameSync(output, `${output}.partial`);
    server.reset();
    const finished = await runCli([...args(output), '--log-level', 'info'], { env: env() });
    expect(finished.code).toBe(0);
    expect(finished.stderr).not.toMatch(/does not match the files/);
    expect(server.stats().total).toBe(0);
    expect(readFileSync(output).equals(readFileSync(healthyOutput()))).toBe(true);
  });

  it('a mend of the last row and one before it records where the mended last row starts', async () => {
    const small = path.join(dir, 'last-fails.csv');
    writeFileSync(small, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i === 5 || i === 19 ? ' FAIL-ME' : '') }));
    const output = path.join(dir, 'last-fails.out.csv');
    const lastArgs = ['score', small, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn'];
    server.setFaults({ seed: 11, latency: '1-5ms', rules: [{ textIncludes: 'FAIL-ME', respond: { status: 500 } }] });
    expect((await runCli(lastArgs, { env: env() })).code).toBe(0);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n').at(-1)).toMatch(/FAIL-ME.*http_500/);
    server.setFaults({ seed: 11, latency: '1-5ms', rules: [REFUSED] });
    const mended = await runCli(lastArgs, { env: env() });
    expect(mended.stdout).toMatch(/mended 2 rows /);
    const bytes = readFileSync(output);
    const { position } = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    const lastLine = bytes.subarray(bytes.subarray(0, -1).lastIndexOf(0x0a) + 1);
    expect(lastLine.toString()).toMatch(/FAIL-ME",\d,(POSITIVE|NEGATIVE),/);
    // Row 5's mend moved the last row, whose own mend changed its length: its start is where the mended copy wrote it.
    expect(position).toMatchObject({ outputBytes: bytes.length, lastOutputStart: bytes.length - lastLine.length });
  });

  it('rows still failing stay listed, and a later run mends them', async () => {
    // The outage run's files (beforeAll: exit 0).
    const output = restoreOutage();
    server.setFaults({ seed: 12, latency: '1-5ms', failRate: 0.35, rules: [REFUSED] });
    // The service is still unwell at the first retry: some rows mend, some stay failed.
    const second = await runCli(args(output), { env: env() });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/mended \d+ rows/);
    server.setFaults({ seed: 12, latency: '1-5ms', rules: [REFUSED] });
    const third = await runCli(args(output), { env: env() });
    expect(third.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(healthyOutput()))).toBe(true);
  });

  it('a 4xx the documentation does not name (a gateway\'s 400, code 1001) is not final: a rerun sends those rows again', async () => {
    const output = path.join(dir, 'gateway.csv');
    server.setFaults({ seed: 11, latency: '1-5ms', rules: [REFUSED] });
    server.reset();
    server.enqueue(Array.from({ length: 40 }, () => ({ status: 400, code: 1001, message: 'gateway error' })));
    const first = await runCli([...args(output), '--max-error-rate', '1'], { env: env() });
    expect(first.code).toBe(0);
    const failed = (parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>).filter((row) => row.sentiment_error?.startsWith('cf_1001'));
    // 40 answers, and the rows repeating their texts in the same run; a REFUSE-ME row among them gets its 5006 next time.
    const texts = new Set(failed.map((row) => row.review)).size;
    const refusedNext = failed.filter((row) => row.review?.includes('REFUSE-ME')).length;
    expect(texts).toBe(40);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`rows failed: run the same command again to re-score just the ${failed.length} that failed transiently \\(the other \\d+ were refused`));
    server.reset();
    const again = await runCli(args(output), { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`mended ${failed.length - refusedNext} rows that had failed transiently`);
    expect(server.stats().total).toBe(texts);
    expect(readFileSync(output).equals(readFileSync(healthyOutput()))).toBe(true);
  });

  it('after an outage stopped a run (exit 5), one rerun completes it and mends the rows that failed before the stop', async () => {
    const healthy = healthyOutput();

    const output = path.join(dir, 'outage-stop.csv');
    server.setFaults({ seed: 19, latency: '1-5ms', failRate: 1, rules: [REFUSED] });
    const stopped = await runCli(args(output), { env: env() });
    expect(stopped.code).toBe(5);
    expect(existsSync(`${output}.partial`)).toBe(true);
    expect(stopped.stdout).toMatch(/rows sent to the model failed \(limit --max-error-rate 0\.5\); stopping/);

    server.setFaults({ seed: 19, latency: '1-5ms', rules: [REFUSED] });
    server.reset();
    const summaryFile = path.join(dir, 'outage-stop.json');
    const resumed = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/mended \d+ rows that had failed transiently \(6 rows still failed\)/);
    const last = resumed.stdout.trimEnd().split('\n').at(-1) as string;
    expect(last).toBe('  6 rows failed, refused for their text or record (see the error column or field) and not retried; a rerun leaves them as they are');
    const json = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
      failedRows: unknown;
      mended: number;
      totals: Record<string, number>;
      run: { totals: Record<string, number>; labels: Record<string, number> };
    };
    expect(json.failedRows).toEqual({ retry: 0, final: ROWS / 50 });
    expect(json.mended).toBeGreaterThan(0);
    // "This run" counts the rows it wrote resuming and those it mended, and every request the service saw.
    expect(json.run.totals['requests']).toBe(server.stats().total);
    expect(Object.values(json.run.labels).reduce((a, b) => a + b, 0)).toBe(json.run.totals['scored']);
    expect(json.totals).toMatchObject({ read: ROWS, failed: ROWS / 50 });
    expect(readFileSync(output).equals(readFileSync(healthy))).toBe(true);
    expect(existsSync(`${output}.failed-rows`)).toBe(false);

    server.reset();
    const again = await runCli(args(output), { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Already done/);
    expect(server.stats().total).toBe(0);
  });

  // A rerun's mend stopped part-way says how many answers it kept (failedRows.kept, below); the mend of a resumed run
  // said nothing of them: "N rows failed transiently: … re-score just those rows", as if none had been answered.
  it('a resumed run whose mend its budget stops says how many of the mended rows\' answers it kept, as a rerun\'s mend does', async () => {
    const outage = async (name: string) => {
      const output = path.join(dir, `${name}.csv`);
      server.setFaults({ seed: 31, latency: '1-5ms', failRate: 1, rules: [REFUSED] });
      expect((await runCli(args(output), { env: env() })).code).toBe(5);
      server.setFaults({ seed: 31, latency: '1-5ms', rules: [REFUSED] });
      server.reset();
      return output;
    };
    // The same outage resumed without a budget: how many requests the resume and its mend send in all.
    const whole = await outage('resume-budget-whole');
    expect((await runCli(args(whole), { env: env() })).code).toBe(0);
    const all = server.stats().total;

    const output = await outage('resume-budget');
    const summaryFile = path.join(dir, 'resume-budget.json');
    const budget = all - 10;
    const paused = await runCli([...args(output), '--max-requests', String(budget), '--summary-json', summaryFile], { env: env() });
    expect(paused.code).toBe(75);
    expect(server.stats().total).toBe(budget);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { status: string; outputComplete: boolean; failedRows: { retry: number; kept?: number } };
    expect(summary).toMatchObject({ status: 'paused', outputComplete: true });
    const kept = summary.failedRows.kept ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(paused.stdout.trimEnd().split('\n').at(-1)).toContain(` (this run's answers to ${kept} of them are kept: the next run writes them without a request)`);
    // They are: the next run sends only what the budget left unsent.
    server.reset();
    expect((await runCli(args(output), { env: env() })).code).toBe(0);
    expect(server.stats().total).toBe(all - budget);
    expect(readFileSync(output).equals(readFileSync(whole))).toBe(true);
  });

  it('a mend against a service failing throughout stops once its rows fail over --max-error-rate, as a run does', async () => {
    // It had no such stop: every listed row was sent and retried, 8 at a time (2,099 requests in 10 min for 352 of 1,501
    // rows, and on), and only the verdict at the end said the service was failing.
    const output = path.join(dir, 'down-throughout.csv');
    server.setFaults({ seed: 23, latency: '1-5ms', failRate: 1, rules: [REFUSED] });
    server.reset();
    // The outage that lists the rows: one attempt each (its retries, after a backoff of about half a second each, would
    // only fail again); the mend below retries as every run here does.
    expect((await runCli([...args(output, 1), '--max-error-rate', '1'], { env: env() })).code).toBe(5);
    const outageBytes = readFileSync(output);
    const listed = readFileSync(`${output}.failed-rows`, 'utf8').trimEnd().split('\n').length - 1;
    expect(listed).toBeGreaterThan(250);
    server.reset();
    const summaryFile = path.join(dir, 'down-throughout.json');
    const stopped = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
    expect(stopped.code).toBe(5);
    expect(stopped.stdout).toMatch(/\d+ of the last \d+ rows sent to the model failed \(limit --max-error-rate 0\.5\); stopping instead of burning through the file/);
    // Worded for a mend: it continues nowhere ("it continues where this run stopped" was a run's advice); the output is
    // as it was and the next run mends the listed rows again, as the last line says.
    expect(stopped.stdout).toContain('stopping instead of burning through the file: the service is failing: run the same command again once it answers (the output is left as it was, its failed rows still listed: that run mends them)\n');
    expect(stopped.stdout).not.toContain('it continues where this run stopped');
    expect(stopped.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^  \\d+ rows failed: run the same command again to re-score just the ${listed} that failed transiently \\(the other \\d+ were refused`));
    // About 50 rows judged (and those in progress), each sent twice (--max-attempts 2): not every listed row.
    expect(server.stats().total).toBeLessThan(200);
    expect(readFileSync(output).equals(outageBytes)).toBe(true);
    expect(existsSync(`${output}.partial`)).toBe(false);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { outputComplete: boolean; run: { totals: Record<string, number> }; failedRows: unknown };
    expect(summary).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, failedRows: { retry: listed } });
    expect(summary.run.totals['requests']).toBe(server.stats().total);
  });

  it('a resumed run that mends counts each row once: "this run" never holds more rows than the input', async () => {
    // Seen before: a 235-row input, "this run: rows 272": the rows this run wrote failed and then mended counted twice.
    const rows = 235;
    const small = path.join(dir, 'in-235.csv');
    // Every 10th row repeats the row before it: 23 duplicates.
    writeFileSync(small, syntheticCsv(rows, { duplicateEvery: 10, emptyEvery: 0 }));
    const output = path.join(dir, 'once.csv');
    const summaryFile = path.join(dir, 'once.json');
    const once = ['score', small, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '2', '--log-level', 'warn'];
    server.setFaults({ seed: 23, latency: '1-5ms', failRate: 1 });
    expect((await runCli(once, { env: env() })).code).toBe(5);
    // The service is back but unwell: rows this run writes fail transiently too, and its mend tries them once more with the stopped run's.
    server.setFaults({ seed: 23, latency: '1-5ms', failRate: 0.3 });
    const resumed = await runCli([...once, '--summary-json', summaryFile], { env: env() });
    expect(resumed.code).toBe(0);
    const json = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
      mended: number;
      totals: Record<string, number>;
      run: { totals: Record<string, number>; failuresByCode: Record<string, number>; labels: Record<string, number> };
    };
    const job = json.totals;
    expect(job['read']).toBe(rows);
    // The stopped run wrote only failed rows, all mended now: this run handled every row of the input, each once, as the job holds it.
    expect(json.run.totals).toMatchObject({ read: rows, scored: job['scored'], failed: job['failed'] });
    expect(Object.values(json.run.failuresByCode).reduce((a, b) => a + b, 0)).toBe(job['failed']);
    expect(Object.values(json.run.labels).reduce((a, b) => a + b, 0)).toBe(job['scored']);
    expect(resumed.stdout).toContain(`  this run: rows ${rows}: scored ${job['scored']}, skipped 0, failed ${job['failed']}\n`);
    expect(resumed.stdout).toContain(`  whole job across resumes: rows ${rows}: scored ${job['scored']}, skipped 0, failed ${job['failed']}\n`);
    // Each of the 23 repeats once among the duplicates saved, by the answer it holds now: its twin's, from a request of this
    // run (before, the rows the mend filled with their twin's answer counted nowhere, and a row this run wrote as a duplicate, then mended, once only by chance).
    expect(json.run.totals['duplicates']).toBe(23);
    expect(resumed.stdout).toMatch(/ {2}duplicates saved 23 · /);
    server.setFaults({ seed: 11, latency: '1-5ms', rules: [REFUSED] });
  });

  it('a text whose one copy is mended and the other scored fresh in the same rerun is sent once', async () => {
    // 120 distinct texts, then row 2's again. In an outage the first run stops after 50 requests (--max-requests), row 2
    // among its failed rows; the rerun scores the rows after them fresh (row 120 sends row 2's text), then mends the
    // failed ones. --max-error-rate 1 on that run: its guard, judged once 50 rows failed, would otherwise race the budget
    // (the 51st request) and stop it first when the answers come in a burst (1 run in 7 of a loaded slow tier; 2 in 20
    // against a service answering in bursts every 35 ms), the output ending at the row that tripped it. The budget's
    // stop on a service that looks down is exit 5 too (run-budget.ts), with every row answered written.
    const distinct = 120;
    const twice = path.join(dir, 'in-twice.csv');
    writeFileSync(twice, `${syntheticCsv(distinct, { duplicateEvery: 0, emptyEvery: 0 })}${distinct},"${reviewText(2).replace(/"/g, '""')}",3\n`);
    const output = path.join(dir, 'twice.csv');
    const summaryFile = path.join(dir, 'twice.json');
    const twiceArgs = ['score', twice, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--log-level', 'warn'];
    server.setFaults({ seed: 29, latency: '1-5ms', failRate: 1 });
    const stopped = await runCli([...twiceArgs, '--max-requests', '50', '--max-error-rate', '1'], { env: env() });
    expect(stopped.code).toBe(5);
    expect(stopped.stdout).toContain("this run's request budget (--max-requests 50) is used up, spent on a service that looks down");
    expect(readFileSync(`${output}.partial`, 'utf8')).toContain(reviewText(2).replace(/"/g, '""'));
    server.setFaults({ seed: 29, latency: '1-5ms' });
    server.reset();
    const rerun = await runCli([...twiceArgs, '--summary-json', summaryFile], { env: env() });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/mended \d+ rows that had failed transiently \(0 rows still failed\)/);
    // Before: 121 requests for 120 texts (the mend sent row 2's text again).
    expect(server.stats().total).toBe(distinct);
    const json = JSON.parse(readFileSync(summaryFile, 'utf8')) as { run: { totals: Record<string, number> } };
    expect(json.run.totals).toMatchObject({ requests: distinct, duplicates: 1, scored: distinct + 1 });
    // Row 2 holds the answer row 120 got: both rows read the same.
    const records = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    const scores = (row: Record<string, string> | undefined) => [row?.['sentiment_label'], row?.['sentiment_positive']];
    expect(scores(records[2])).toEqual(scores(records[distinct]));
    expect(records[2]?.['sentiment_error']).toBe('');
    server.setFaults({ seed: 11, latency: '1-5ms', rules: [REFUSED] });
  });

  it('a mend stopped by its budget points at the complete output and keeps the requests it sent in the job totals', async () => {
    const summaryFile = path.join(dir, 'budget.json');
    const summary = () => JSON.parse(readFileSync(summaryFile, 'utf8')) as Record<string, unknown> & { totals: Record<string, number>; run: { totals: Record<string, number>; labels: Record<string, number> } };
    const { output, outageRequests, outageBytes } = outageThenHealed(14, '1-5ms');
    const paused = await runCli([...args(output), '--max-requests', '5', '--summary-json', summaryFile], { env: env() });
    expect(paused.code).toBe(75);
    expect(server.stats().total).toBe(5);
    // The output is complete and unchanged: the message names it, not a .partial that does not exist.
    expect(paused.stdout.split('\n')[0]).toBe(`Paused; run the same command later to continue: ${output}`);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(readFileSync(output).equals(outageBytes)).toBe(true);
    expect(paused.stdout).toMatch(/requests sent 5 \(answered 5 /);
    expect(paused.stdout).toMatch(/sent with retries [1-9]/);
    expect(paused.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}\d+ rows failed/);
    // The 5 answers are kept (the journal): the line said only "N rows failed transiently … re-score just those rows",
    // as if none of them had been answered. Now it says how many the next run writes without a request.
    expect(paused.stdout.trimEnd().split('\n').at(-1)).toMatch(/ \(this run's answers to 5 of them are kept: the next run writes them without a request\)/);
    expect(summary()).toMatchObject({ status: 'paused', outputComplete: true, run: { totals: { requests: 5 }, answeredRequests: 5 }, failedRows: { kept: 5 } });
    expect(summary().totals['requests']).toBe(outageRequests + 5);
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { totals: Record<string, number> };
    expect(checkpoint.totals['requests']).toBe(outageRequests + 5);

    // The next run finishes the mend (the 5 answers come from the journal) and the job's totals hold every request the server saw.
    const mended = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
    expect(mended.code).toBe(0);
    expect(summary().totals['requests']).toBe(outageRequests + server.stats().total);
    // Its rows were scored, and the summary tells their labels like any run's.
    const labels = summary().run.labels;
    expect(Object.values(labels).reduce((sum, count) => sum + count, 0)).toBe(summary().run.totals['scored']);
    expect(summary().run.totals['scored']).toBeGreaterThan(0);
    expect(mended.stdout).toMatch(/\n {2}scored as POSITIVE \d+/);
  });

  it('a mend stopped by a rejected token ends on what to fix first, not on "run the same command again"', async () => {
    const { output, outageBytes } = outageThenHealed(15, '1-5ms');
    const rejected = await runCli(args(output), { env: { ...env(), CLOUDFLARE_API_TOKEN: 'a-wrong-token-123' } });
    expect(rejected.code).toBe(4);
    expect(readFileSync(output).equals(outageBytes)).toBe(true);
    const lines = rejected.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^ {2}Cloudflare rejected the API token \(HTTP 401, code 10000\): check CLOUDFLARE_API_TOKEN/);
    expect(lines.at(-1)).toMatch(/^ {2}\d+ rows failed( transiently)?: fix what the line above says \(the credentials or the model\), then run the same command again to re-score just /);
  });

  it('a mend stopped by SIGTERM points at the complete output and keeps the requests it sent in the job totals', async () => {
    const summaryFile = path.join(dir, 'sigterm.json');
    // Slow answers, one at a time: the signal lands in the middle of the mend.
    const { output, outageRequests, outageBytes } = outageThenHealed(15, '300ms');
    const child = spawnCli([...args(output), '--concurrency', '1', '--summary-json', summaryFile], { env: env() });
    await waitFor(() => server.stats().total >= 3, 60_000, 'three requests of the mend');
    child.kill('SIGTERM');
    const stopped = await child.result;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout.split('\n')[0]).toBe(`Interrupted; run the same command to continue: ${output}`);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect(readFileSync(output).equals(outageBytes)).toBe(true);
    const sent = server.stats().total;
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { outputComplete: boolean; totals: Record<string, number>; run: { totals: Record<string, number> } };
    expect(summary.outputComplete).toBe(true);
    expect(summary.run.totals['requests']).toBe(sent);
    expect(stopped.stdout).toMatch(new RegExp(`requests sent ${sent} \\(`));
    expect(summary.totals['requests']).toBe(outageRequests + sent);
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { totals: Record<string, number> };
    expect(checkpoint.totals['requests']).toBe(outageRequests + sent);
  });

  it('a mend stopped by SIGTERM gives a request that never answers --grace, not the per-attempt timeout, and counts it', async () => {
    // The mend had no grace period of its own: a SIGTERM waited for a hung request until its 30 s timeout (28 s measured).
    const summaryFile = path.join(dir, 'sigterm-hung.json');
    const { output, outageRequests, outageBytes } = outageThenHealed(16, '1-5ms');
    server.enqueue([...Array.from({ length: 10 }, () => ({ status: 200 })), ...Array.from({ length: 40 }, () => ({ hang: true }))]);
    // A per-attempt timeout of 10 minutes, far past this test's own 2: a stop that waited for it (as the mend did)
    // cannot end within the test, so no clock is needed to tell --grace from it.
    const child = spawnCli([...args(output), '--grace', '1s', '--timeout', '10m', '--summary-json', summaryFile], { env: env() });
    await waitFor(() => server.stats().hanging >= 1, 60_000, 'a hung request of the mend');
    child.kill('SIGTERM');
    const stopped = await child.result;
    // 1 s of grace, then the hung requests are aborted: the run ends, exit 130.
    expect(stopped.code).toBe(130);
    expect(readFileSync(output).equals(outageBytes)).toBe(true);
    const sent = server.stats().total;
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { outputComplete: boolean; totals: Record<string, number>; run: { totals: Record<string, number> } };
    expect(summary).toMatchObject({ status: 'interrupted', outputComplete: true });
    expect(summary.run.totals['requests']).toBe(sent);
    expect(summary.totals['requests']).toBe(outageRequests + sent);
  });

  it.skipIf(!canMount())('a mend the machine refuses (read-only output folder): exit 74, the output unchanged, and --summary-json says it is complete', async () => {
    // Its summary held only status, exitCode and message, so a scheduler could not tell that the output (the last run's,
    // whole, rows still failed) is there to use, as it can after a mend stopped by a signal, a budget or a rejected token.
    const { output, outageBytes } = outageThenHealed(11, '1-5ms');
    const folder = path.dirname(output);
    const saved = path.join(dir, 'outage-ro-files');
    cpSync(folder, saved, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', folder]);
    try {
      cpSync(saved, folder, { recursive: true });
      execFileSync('mount', ['-o', 'remount,ro', folder]);
      const summaryFile = path.join(dir, 'ro-mend.json');
      const refused = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
      expect(refused.code).toBe(74);
      expect(refused.stderr).toMatch(/read-only filesystem/);
      expect(readFileSync(output).equals(outageBytes)).toBe(true);
      expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 74, outputComplete: true, message: expect.stringMatching(/read-only filesystem/) });
    } finally {
      execFileSync('umount', ['-l', folder]);
    }
  });

  it.skipIf(!canMount())('a mend whose disk fills up mid-way: exit 74, the output unchanged, and the summary keeps the requests it paid', async () => {
    // The mended copy is written as the failed rows are sent again: a disk that fills up then ended the run with a
    // summary holding only status, exitCode, message and outputComplete (the requests the mend paid were in neither it
    // nor on the terminal), while a mend stopped by a signal or its budget keeps them, as a full disk mid-run does.
    const { output, outageRequests, outageBytes } = outageThenHealed(11, '1-5ms');
    const folder = path.dirname(output);
    const saved = path.join(dir, 'outage-full-files');
    cpSync(folder, saved, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', folder]);
    try {
      cpSync(saved, folder, { recursive: true });
      // Room for about half a mended copy: the mend has sent some of its rows when the disk is full.
      const { bavail, bsize } = statfsSync(folder);
      writeFileSync(path.join(folder, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - Math.floor(outageBytes.length / 2))));
      const summaryFile = path.join(dir, 'full-mend.json');
      const full = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
      expect(full.code, full.stderr).toBe(74);
      expect(full.stderr).toMatch(/no space left on the device/);
      expect(readFileSync(output).equals(outageBytes)).toBe(true);
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
      expect(summary).toMatchObject({ status: 'failed', exitCode: 74, outputComplete: true, message: expect.stringMatching(/^no space left on the device/) });
      // The rows queued when the fault came sent their requests while the process ended (the service counted 368, the
      // summary 357): the mend stops them, and waits for the requests in flight, so the summary counts what was sent.
      const counted = summary.run.totals.requests as number;
      expect(counted).toBeGreaterThan(0);
      expect(counted).toBe(server.stats().total);
      expect(summary.totals.requests).toBe(outageRequests + counted);
      // And in the checkpoint, with the rows as the output holds them (unmended): the next run's figures for the whole
      // job missed the requests this mend paid (the summary said 3,525, the checkpoint 3,000).
      const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
      expect(checkpoint.totals).toEqual(summary.totals);
      expect(summary.failedRows).toMatchObject({ retry: expect.any(Number) });
      expect(summary.failedRows.retry).toBeGreaterThan(0);
      // On the terminal too, above the fault's one line.
      expect(full.stdout).toMatch(/^Stopped: /);
      expect(full.stdout).toContain(`requests sent ${counted.toLocaleString('en-US')}`);
      // The mended copy is gone, and nothing else is left beside the job's own files (and the outage run's summary, out.json).
      expect(readdirSync(folder).sort()).toEqual(['filler', 'out.csv', 'out.csv.checkpoint.json', 'out.csv.failed-rows', 'out.csv.journal', 'out.json']);

      // Space freed: the next run mends the rest and ends as a healthy run, the job's requests counting both runs'.
      rmSync(path.join(folder, 'filler'));
      server.reset();
      const next = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
      expect(next.code, next.stderr).toBe(0);
      expect(readFileSync(output).equals(readFileSync(healthyOutput()))).toBe(true);
      expect(JSON.parse(readFileSync(summaryFile, 'utf8')).totals.requests).toBe(outageRequests + counted + server.stats().total);
      expect(readdirSync(folder).sort()).toEqual(['out.csv', 'out.csv.checkpoint.json', 'out.json']);
    } finally {
      execFileSync('umount', ['-l', folder]);
    }
  });

  it('a list of failed rows that does not match the output is not applied', async () => {
    // The outage run's files (beforeAll: exit 0).
    const output = restoreOutage();
    // Someone edits the finished output in place: its recorded failures no longer describe it.
    // (Same length: an output of another length than the checkpoint recorded is scored afresh, see e2e-checkpoint-proof.)
    const edited = readFileSync(output);
    edited[edited.length - 2] = edited[edited.length - 2] === 0x58 ? 0x59 : 0x58;
    writeFileSync(output, edited);
    // A checkpoint of a release before the output's sha256 was recorded: with it, an output edited so is scored afresh
    // (e2e-done-edited-output.test.ts); without it, "already done" tells the list's rows from the output's.
    const checkpointPath = `${output}.checkpoint.json`;
    const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    delete checkpoint.outputSha256;
    writeFileSync(checkpointPath, JSON.stringify(checkpoint));
    server.setFaults({ seed: 13, latency: '1-5ms', rules: [REFUSED] });
    server.reset();
    const result = await runCli([...args(output), '--log-level', 'info'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Already done/);
    expect(result.stderr).toMatch(/does not match the output/);
    expect(server.stats().total).toBe(0);
    // The rows it listed failed transiently and are still there, unmended: the summary says so and how to score them again.
    const transient = (parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>).filter((row) => row.sentiment_error?.startsWith('http_500')).length;
    expect(transient).toBeGreaterThan(20);
    const last = result.stdout.trimEnd().split('\n').at(-1) as string;
    expect(last).toContain(`${transient} rows failed transiently, but the output was changed after their list (${output}.failed-rows) was written`);
    expect(last).toContain(`(${ROWS / 50} more were refused for their text or record and not retried)`);
    expect(last).toMatch(/--restart \(or write to a new -o\)/);
    expect(last).not.toMatch(/a rerun leaves them/);
  });

  it('a missing list of failed rows: the summary says rows may have failed transiently and how to score them again', async () => {
    // The outage run's files (beforeAll: exit 0).
    const output = restoreOutage();
    rmSync(`${output}.failed-rows`);
    server.setFaults({ seed: 17, latency: '1-5ms', rules: [REFUSED] });
    server.reset();
    const summaryFile = path.join(dir, 'unlisted.json');
    const result = await runCli([...args(output), '--summary-json', summaryFile], { env: env() });
    expect(result.code).toBe(0);
    expect(server.stats().total).toBe(0);
    const failed = (parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>).filter((row) => /^(http_500|bad_input)/.test(row.sentiment_error ?? '')).length;
    expect(failed).toBeGreaterThan(20 + ROWS / 50);
    const last = result.stdout.trimEnd().split('\n').at(-1) as string;
    expect(last).toContain(`${failed} rows failed, and the list of the rows that failed transiently (${output}.failed-rows) is missing`);
    expect(last).toMatch(/--restart \(or write to a new -o\)/);
    expect(last).not.toMatch(/a rerun leaves them/);
    const json = JSON.parse(readFileSync(summaryFile, 'utf8')) as { failedRows: unknown };
    expect(json.failedRows).toEqual({ retry: 0, final: 0, unlisted: failed, list: 'missing' });
  });
});
