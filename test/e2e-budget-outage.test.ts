import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A nightly job with a request budget, on a night the service is down: the budget is spent on retries before the
 * error guard has the 50 rows it judges (`"maxRequests": 300` with 6 attempts a row decided 45 and 47 rows in two runs). It ended exit 75
 * `paused`, which the shipped schedulers (jobs/) take for success: nobody was alerted, where the same outage with no
 * budget or a neuron budget ended 5. It ends exit 5 `failed`, as the guard's stop for an outage does, in the same words
 * (`the service is failing: run the same command again once it answers`), and leaves the files as a pause does: the
 * run after the outage continues, pays for no answer twice, and writes what a clean run writes.
 */
describe('a request budget spent on a service that is down (built CLI)', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();

  const job = (name: string, marker?: (i: number) => string) => {
    const input = path.join(dir, `${name}.csv`);
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0, ...(marker ? { marker } : {}) }));
    const output = path.join(dir, `${name}.out.csv`);
    const summary = path.join(dir, `${name}.json`);
    const flags = ['--text-column', 'review', '--max-attempts', '2', '--rpm', '100000', '--summary-json', summary, '--log-level', 'warn'];
    const args = ['score', input, '-o', output, ...flags, '--max-requests', '40'];
    return { input, output, summary, flags, args };
  };

  it('the stop says the service looked down, and ends exit 5, failed', async () => {
    server.setFaults({ failRate: 1 });
    const { summary, args } = job('down');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(5);
    const line = /this run's request budget \(--max-requests 40\) is used up, spent on a service that looks down: the last \d+ attempts failed \(Workers AI failed transiently \(HTTP 500, code 3043\)[^\n]*\); the service is failing: run the same command again once it answers/;
    expect(run.stdout).toMatch(/^Stopped: /m);
    expect(run.stdout).toMatch(line);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; exitCode: number; message: string };
    expect(json).toMatchObject({ status: 'failed', exitCode: 5 });
    expect(json.message).toMatch(line);
    expect(json.message).not.toContain('new budget');
  });

  it('out of capacity (429 code 3040 on every request): the stop says so, exit 5', async () => {
    server.setFaults({ capacityBurstRate: 1 });
    const { summary, args } = job('capacity');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(5);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; message: string };
    expect(json.status).toBe('failed');
    expect(json.message).toMatch(
      /^this run's request budget \(--max-requests 40\) is used up, spent on a service out of capacity: 16 attempts were answered 429, code 3040, since the last answer \([^\n]*3040[^\n]*\); the service is failing: run the same command again once it answers$/,
    );
  });

  it('a budget used up on a service that answers pauses, exit 75, with its line', async () => {
    server.setFaults({});
    const { summary, args } = job('up');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(75);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; message: string };
    expect(json.status).toBe('paused');
    expect(json.message).toBe("this run's request budget (--max-requests 40) is used up; run the same command again to continue (each run has a budget of its own)");
  });

  it('the run after an outage that began mid-run continues: no answer paid twice, the output a clean run writes', async () => {
    // Rows 0-19 are answered; from row 20 on the service answers 500 (a rule on the text's marker).
    const marker = (i: number): string => (i >= 20 ? ' [later]' : '');
    server.setFaults({ rules: [{ textIncludes: '[later]', respond: { status: 500 } }] });
    server.reset();
    const { output, summary, args } = job('midrun', marker);
    const first = await runCli(args, { env: workersAiEnv(server) });
    expect(first.code).toBe(5);
    expect((JSON.parse(readFileSync(summary, 'utf8')) as { status: string }).status).toBe('failed');
    const answered = server.stats().byStatus['200'] ?? 0;
    expect(answered).toBe(20);
    expect(existsSync(`${output}.partial`)).toBe(true);
    expect(existsSync(`${output}.checkpoint.json`)).toBe(true);

    server.setFaults({});
    server.reset();
    const again = await runCli(args, { env: workersAiEnv(server) });
    // The budget is the run's own: 40 of the 180 rows left, then the next runs, until the output is complete.
    let runs = 1;
    let last = again;
    while (last.code === 75 && runs < 10) {
      last = await runCli(args, { env: workersAiEnv(server) });
      runs += 1;
    }
    expect(last.code).toBe(0);
    expect(server.stats().total).toBe(200 - answered);

    const clean = job('midrun-clean', marker);
    server.reset();
    const cleanRun = await runCli(['score', clean.input, '-o', clean.output, ...clean.flags], { env: workersAiEnv(server) });
    expect(cleanRun.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(clean.output))).toBe(true);
  });

  it("a rerun's mend whose budget goes on the outage gets the exit its output was given, the stop's line its warning", async () => {
    // Rows 160-199 fail in the first run (under the limit: exit 0, the output complete, those rows listed).
    const marker = (i: number): string => (i >= 160 ? ' [mend]' : '');
    server.setFaults({ rules: [{ textIncludes: '[mend]', respond: { status: 500 } }] });
    const { summary, args } = job('mend', marker);
    expect((await runCli(args.filter((arg, i) => arg !== '--max-requests' && args[i - 1] !== '--max-requests'), { env: workersAiEnv(server) })).code).toBe(0);
    // The rerun mends them (80 requests at 2 attempts) while the service is down throughout, its budget of 40 spent on it: no pause (75) for an
    // outage, but the output's own verdict, as the rate's stop of a mend gives (mended-summary.ts stoppedByOutageSummary).
    server.setFaults({ failRate: 1 });
    const rerun = await runCli(args, { env: workersAiEnv(server) });
    expect(rerun.code).toBe(0);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; outputComplete: boolean; warning: string };
    expect(json).toMatchObject({ status: 'done', outputComplete: true });
    expect(json.warning).toMatch(/^this run's request budget \(--max-requests 40\) is used up, spent on a service that looks down: .*; the service is failing: run the same command again once it answers$/);
  });
});
