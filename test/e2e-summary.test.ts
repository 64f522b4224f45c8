import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'summary-Token-1234567890abcdef';

describe('the summary a person and a scheduler read (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer | undefined;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await server?.close();
    server = undefined;
    cleanup();
  });

  it('embedded: labels, failures by code, thousands separators, tenths of a second, no cost lines, printed once', async () => {
    const input = path.join(dir, 'in.csv');
    // 1,200 rows, two of them ragged.
    const csv = syntheticCsv(1200, { duplicateEvery: 0, emptyEvery: 0 }).replace('\n5,', '\n5,x,y,').replace('\n9,', '\n9,x,y,');
    writeFileSync(input, csv);
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toBe('  rows 1,200: scored 1,198, skipped 0, failed 2');
    expect(lines[2]).toMatch(/^ {2}scored as POSITIVE [\d,]+ · NEGATIVE [\d,]+$/);
    const [, a = '0', b = '0'] = /POSITIVE ([\d,]+) · NEGATIVE ([\d,]+)/.exec(lines[2] as string) ?? [];
    expect(Number(a.replace(/,/g, '')) + Number(b.replace(/,/g, ''))).toBe(1198);
    expect(r.stdout).toMatch(/failed by code: ragged_row 2/);
    expect(r.stdout).toMatch(/elapsed \d+\.\d s\n/);
    expect(r.stdout).not.toMatch(/tokens|neurons|\$|retries|429/);
    expect(r.stdout).toMatch(/offline, no requests, no cost/);
  });

  /**
   * A job scored with --summary-json, then run again: 'done', then 'already-done', each summary as the run left it and
   * the times around the run. Made once, in a folder of its own, by whichever of the two tests below asks first.
   */
  let doneTwiceDir: ReturnType<typeof tempDir> | undefined;
  afterAll(() => doneTwiceDir?.cleanup());
  type SummaryRun = { code: number | null; before: number; after: number; summary: { status: string; exitCode: number; finishedAt?: string } };
  let doneTwiceRuns: Promise<{ input: string; output: string; summaryJson: string; runs: SummaryRun[] }> | undefined;
  const doneTwice = () =>
    (doneTwiceRuns ??= (async () => {
      doneTwiceDir = tempDir();
      const input = path.join(doneTwiceDir.dir, 'in.csv');
      writeFileSync(input, syntheticCsv(20));
      const summaryJson = path.join(doneTwiceDir.dir, 'summary.json');
      const output = path.join(doneTwiceDir.dir, 'out.csv');
      const runs: SummaryRun[] = [];
      for (let i = 0; i < 2; i += 1) {
        const before = Date.now();
        const { code } = await runCli(['score', input, '--text-column', 'review', '-o', output, '--summary-json', summaryJson]);
        runs.push({ code, before, after: Date.now(), summary: JSON.parse(readFileSync(summaryJson, 'utf8')) as SummaryRun['summary'] });
      }
      return { input, output, summaryJson, runs };
    })());

  it('--summary-json says when it was written, a done run\'s too: after a SIGKILL (no summary of its own) the file left is datable', async () => {
    // docker kill or the OOM killer (exit 137) leaves the previous run's summary in place; a done or already-done one
    // had no time in it (only failures had finishedAt), so last night's "done, exit 0" read as tonight's.
    const { runs } = await doneTwice();
    expect(runs.map((run) => run.summary.status)).toEqual(['done', 'already-done']);
    for (const { code, before, after, summary } of runs) {
      expect(code).toBe(0);
      expect(summary.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const at = Date.parse(summary.finishedAt as string);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
  });

  it('--summary-json is replaced on exit 2 and exit 3, so a stale "already-done" is never left', async () => {
    const { input, output, summaryJson, runs } = await doneTwice();
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect(runs[1]?.summary).toMatchObject({ status: 'already-done', exitCode: 0 });
    writeFileSync(summaryJson, JSON.stringify(runs[1]?.summary));

    const usage = await runCli(['score', input, '--text-column', 'reveiw', '-o', output, '--summary-json', summaryJson]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2, message: expect.stringContaining("'reveiw' is not in the header") });

    writeFileSync(summaryJson, '{"status":"already-done","exitCode":0}');
    const badFlag = await runCli(['score', input, '--summary-json', summaryJson, '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2, message: expect.stringContaining("'--bogus'") });

    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'id,review\n1,fine\n2,"never closed\n3,more\n');
    writeFileSync(summaryJson, '{"status":"already-done","exitCode":0}');
    const input3 = await runCli(['score', broken, '--text-column', 'review', '-o', path.join(dir, 'b.csv'), '--summary-json', summaryJson]);
    expect(input3.code).toBe(3);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 3 });

    // A job file's summaryJson too, when the job file itself is refused.
    writeFileSync(path.join(dir, 'in.csv'), syntheticCsv(20));
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', textColumn: 'review', summaryJson: 'job-summary.json', grace: 5 }));
    const jobRun = await runCli(['run', job]);
    expect(jobRun.code).toBe(2);
    expect(JSON.parse(readFileSync(path.join(dir, 'job-summary.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  it('a job file edited by hand into bad JSON, or saved with a BOM, still replaces its summaryJson: no stale "done" is left', async () => {
    writeFileSync(path.join(dir, 'in.csv'), syntheticCsv(5));
    const summaryJson = path.join(dir, 'out', 'nightly.summary.json');
    const job = path.join(dir, 'job.json');
    const good = `{\n  "input": "in.csv",\n  "textColumn": "review",\n  "summaryJson": "out/nightly.summary.json"`;
    const cases = [
      // A trailing comma after the last key removed (the commonest hand edit), and a comment.
      [`${good},\n}\n`, /is not valid JSON/],
      [`// nightly\n${good}\n}\n`, /is not valid JSON/],
      // Windows editors save a BOM: the job file is read, its unknown key refused.
      [`\uFEFF${good},\n  "rmp": 100\n}\n`, /unknown key 'rmp'/],
    ] as const;
    for (const [text, why] of cases) {
      mkdirSync(path.dirname(summaryJson), { recursive: true });
      writeFileSync(summaryJson, '{"status":"done","exitCode":0}\n');
      writeFileSync(job, text);
      const r = await runCli(['run', job]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2, message: expect.stringMatching(why) });
    }
    // "summaryJson": "-" is refused as --summary-json - is: its failure summary is not a file named '-' beside the job file.
    writeFileSync(job, JSON.stringify({ input: 'in.csv', textColumn: 'review', summaryJson: '-' }));
    const dash = await runCli(['run', job]);
    expect(dash.code).toBe(2);
    // Named by the job file's key, which the user wrote (was the flag, which nobody typed).
    expect(dash.stderr).toMatch(/: "summaryJson" - is not supported/);
    expect(existsSync(path.join(dir, '-'))).toBe(false);
    // A flag's value before the job file (--report r.json) is not taken for the job file when the arguments cannot be
    // parsed (an unknown flag after them): it was, r.json had no "summaryJson", and last night's "done" was left.
    writeFileSync(job, `${good}\n}\n`);
    writeFileSync(summaryJson, '{"status":"done","exitCode":0}\n');
    const reportFirst = await runCli(['run', '--report', path.join(dir, 'r.json'), job, '--rmp', '5']);
    expect(reportFirst.code).toBe(2);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2, message: expect.stringMatching(/unknown option '--rmp'/) });
  });

  it('a row whose text failed for an earlier row is a duplicate saved, not a row sent: the failure rate counts the requests\' rows once', async () => {
    server = await startServer({ scorer: new TestScorer(), failRate: 1, seed: 2 });
    const input = path.join(dir, 'in.csv');
    // 28 rows of distinct texts, then row 2's text again.
    const csv = syntheticCsv(28, { duplicateEvery: 0, emptyEvery: 0 });
    writeFileSync(input, `${csv}28,"${reviewText(2).replace(/"/g, '""')}",3\n`);
    const output = path.join(dir, 'out.csv');
    const summaryJson = path.join(dir, 'summary.json');
    const env = workersAiEnv(server, { token: TOKEN });
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--rpm', '100000', '--summary-json', summaryJson];
    const r = await runCli(args, { env });
    expect(r.code).toBe(5);
    expect(server.stats().total).toBe(28);
    expect(r.stdout).toContain('  rows 29: scored 0, skipped 0, failed 29\n');
    expect(r.stdout).toMatch(/requests sent 28 \(answered 0 /);
    // Before: "duplicates saved 0" and "29 of 29 rows sent to the model failed" with 28 requests.
    expect(r.stdout).toContain('  duplicates saved 1 · cache hits 0 · truncated 0\n');
    // Every one a 500 (the service failing): the verdict says so, as the stop mid-run would.
    expect(r.stdout).toContain('  28 of 28 rows sent to the model failed in this run (limit --max-error-rate 0.5); the output is complete: the service is failing: run the same command again once it answers');
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ totals: { read: 29, failed: 29, duplicates: 1, requests: 28 } });
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { failureCounts: Record<string, number> };
    expect(checkpoint.failureCounts).toEqual({ unreadable: 0, sent: 28, sentFailed: 28, sentFailedTransient: 28, tooLong: 0 });

    // Healed, the same command mends every row (the duplicate too), and the job holds no failure any more.
    server.setFaults({ seed: 2 });
    const mended = await runCli(args, { env });
    expect(mended.code).toBe(0);
    expect(mended.stdout).toMatch(/mended 29 rows that had failed transiently \(0 rows still failed\)/);
    // The mend sent 28 requests for 29 rows: the repeat took its twin's answer, a duplicate saved as in a run (it said 0).
    expect(mended.stdout).toMatch(/requests sent 28 \(answered 28 /);
    expect(mended.stdout).toContain('  duplicates saved 1 · cache hits 0 · truncated 0\n');
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ run: { totals: { read: 29, scored: 29, requests: 28, duplicates: 1 } } });
    const after = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { failureCounts: Record<string, number>; totals: Record<string, number> };
    expect(after.failureCounts).toEqual({ unreadable: 0, sent: 28, sentFailed: 0, sentFailedTransient: 0, tooLong: 0 });
    expect(after.totals).toMatchObject({ read: 29, scored: 29, failed: 0, duplicates: 1 });
  });

  it('after a --max-requests pause, a row answered by a request the paused run sent for another row is a duplicate saved, not a row sent', async () => {
    server = await startServer({ scorer: new TestScorer(), seed: 3 });
    const input = path.join(dir, 'in.csv');
    // 300 rows of 120 distinct texts: rows 120-299 repeat rows 0-119.
    const rows = Array.from({ length: 300 }, (_, i) => `${i},"${reviewText(i % 120).replace(/"/g, '""')}",3`);
    writeFileSync(input, `id,review,stars\n${rows.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const summaryJson = path.join(dir, 'summary.json');
    const env = workersAiEnv(server, { token: TOKEN });
    const args = ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--summary-json', summaryJson];
    const paused = await runCli([...args, '--max-requests', '60'], { env });
    expect(paused.code).toBe(75);
    const first = JSON.parse(readFileSync(summaryJson, 'utf8')) as { totals: Record<string, number> };
    const finished = await runCli(args, { env });
    expect(finished.code).toBe(0);
    expect(server.stats().total).toBe(120);
    // As a run never paused counts them: 120 rows sent their own request, the 180 that repeat a text are duplicates saved
    // (before: the rows answered by the paused run's requests for rows it wrote counted as sent, 180 "sent" for 120 requests).
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { failureCounts: Record<string, number>; totals: Record<string, number> };
    expect(checkpoint.failureCounts).toEqual({ unreadable: 0, sent: 120, sentFailed: 0, sentFailedTransient: 0, tooLong: 0 });
    expect(checkpoint.totals).toMatchObject({ read: 300, scored: 300, requests: 120, duplicates: 180, cached: 0 });
    // Every row of the second run is in one figure of its summary: a request it sent, or a duplicate saved.
    const { run } = JSON.parse(readFileSync(summaryJson, 'utf8')) as { run: { totals: { read: number; requests: number; duplicates: number } } };
    expect(run.totals.duplicates).toBe(180 - (first.totals['duplicates'] ?? 0));
    expect(run.totals.read).toBe(run.totals.requests + run.totals.duplicates);
    expect(finished.stdout).toContain(`duplicates saved ${run.totals.duplicates} · cache hits 0`);
  });

  it('Workers AI: billable tokens equal the estimate, retries apart; a paused standard-input run does not promise a resume', async () => {
    server = await startServer({ scorer: new TestScorer(), token: TOKEN, latency: '1-5ms', failRate: 0.2 });
    const env = workersAiEnv(server, { account: 'acct123', token: TOKEN });
    const input = path.join(dir, 'in.csv');
    // 150 rows: about 30 requests fail and are retried after their backoff (300 rows ran 14 s at load average ~13), and
    // the token counts still reach the thousands, for the separator below.
    writeFileSync(input, syntheticCsv(150));
    const estimate = JSON.parse((await runCli(['estimate', input, '--text-column', 'review', '--json'], { env })).stdout) as { tokens: number; backend: string };
    expect(estimate.backend).toBe('workers-ai');
    expect(estimate.tokens).toBeGreaterThanOrEqual(1000);
    const summaryJson = path.join(dir, 's.json');
    const r = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--rpm', '100000', '--summary-json', summaryJson], { env });
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as { totals: { tokens: number; retries: number }; run: { billableTokens: number } };
    expect(summary.totals.retries).toBeGreaterThan(0);
    expect(summary.run.billableTokens).toBe(estimate.tokens);
    expect(summary.totals.tokens).toBeGreaterThan(estimate.tokens);
    const n = (x: number) => x.toLocaleString('en-US');
    expect(r.stdout).toContain(`tokens billable ${n(estimate.tokens)} (answered requests; compare with estimate) · sent with retries ${n(summary.totals.tokens)}`);
    // Printed once: the readable summary on stdout, not again as a JSON log line on a terminal (see e2e-tty).

    const paused = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', path.join(dir, 'stdin.csv'), '--max-requests', '5', '--concurrency', '1'], {
      env,
      input: readFileSync(input),
    });
    expect(paused.code).toBe(75);
    expect(paused.stdout).toMatch(/^Paused; a run on standard input or output cannot continue, run it again from the start:/);
    expect(paused.stdout).not.toMatch(/same command/);
  });
});
