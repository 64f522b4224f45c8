import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A nightly job with a request budget, on a night the service is down: the budget is spent on retries before the
 * error guard has the 50 rows it judges (`"maxRequests": 300` with 6 attempts a row decides 45), so the run pauses,
 * exit 75. Its line said only `this run's request budget (…) is used up; run again with a new budget to continue`
 * (measured over a month of nights against `serve --fail-rate 1`): an operator raised the budget for an outage. It
 * says the service looked down (or out of capacity), and that the same command continues once it answers.
 */
describe('a request budget spent on a service that is down (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const job = (name: string) => {
    const input = path.join(dir, `${name}.csv`);
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, `${name}.out.csv`);
    const summary = path.join(dir, `${name}.json`);
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '2', '--rpm', '100000', '--max-requests', '40', '--summary-json', summary, '--log-level', 'warn'];
    return { summary, args };
  };

  it('the pause says the service looked down, and the exit stays 75', async () => {
    server.setFaults({ failRate: 1 });
    const { summary, args } = job('down');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(75);
    const line = /this run's request budget \(--max-requests 40\) is used up, spent on a service that looks down: the last \d+ attempts failed \(Workers AI failed transiently \(HTTP 500, code 3043\)[^\n]*\); run the same command again once it answers/;
    expect(run.stdout).toMatch(line);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; exitCode: number; message: string };
    expect(json).toMatchObject({ status: 'paused', exitCode: 75 });
    expect(json.message).toMatch(line);
    expect(json.message).not.toContain('new budget');
  });

  it('out of capacity (429 code 3040 on every request): the pause says so', async () => {
    server.setFaults({ capacityBurstRate: 1 });
    const { summary, args } = job('capacity');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(75);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; message: string };
    expect(json.status).toBe('paused');
    expect(json.message).toMatch(
      /^this run's request budget \(--max-requests 40\) is used up, spent on a service out of capacity: 16 attempts were answered 429, code 3040, since the last answer \([^\n]*3040[^\n]*\); run the same command again once it answers$/,
    );
  });

  it('a budget used up on a service that answers keeps its line', async () => {
    server.setFaults({});
    const { summary, args } = job('up');
    const run = await runCli(args, { env: workersAiEnv(server) });
    expect(run.code).toBe(75);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { message: string };
    expect(json.message).toBe("this run's request budget (--max-requests 40) is used up; run the same command again to continue (each run has a budget of its own)");
  });
});
