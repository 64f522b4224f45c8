import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A rerun whose mend meets the same outage again leaves the output as the first run left it, and is judged as that
 * output is (docs/exit-codes.md#exit-5): the first night's exit 0 (rows failed transiently within --max-error-rate)
 * is the rerun's exit 0, whether the mend sent every listed row or the rate of its rows failing again stopped it
 * early. Until 2026-12-05 both were exit 5 ("40 of 40 rows that had failed transiently failed again"), judged on the
 * mend's rows alone, for an output no worse than the one exit 0 was given for.
 */
describe('a mend whose rows all fail again (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server);
  const summaryOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    // Rows marked FLAKY are answered 500 throughout: the outage those rows meet goes on.
    server.setFaults({ seed: 5, rules: [{ textIncludes: 'FLAKY', respond: { status: 500 } }] });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const job = (name: string, rows: number, flakyEvery: number) => {
    const input = path.join(dir, `${name}.csv`);
    writeFileSync(input, syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % flakyEvery === 1 ? ' FLAKY' : '') }));
    const output = path.join(dir, `${name}.out.csv`);
    const summary = path.join(dir, `${name}.json`);
    return { output, summary, args: ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--rpm', '100000', '--summary-json', summary, '--log-level', 'warn'] };
  };

  it('every listed row sent and failed again: the exit the output was given, the rows still listed', async () => {
    const { output, summary, args } = job('all-sent', 400, 10);
    const first = await runCli(args, { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('40 rows failed transiently: run the same command again to re-score just those rows');
    const outputBefore = readFileSync(output);

    const before = server.stats().total;
    const again = await runCli(args, { env: env() });
    expect(again.code).toBe(0);
    expect(server.stats().total - before).toBe(40);
    expect(again.stdout).toContain('mended 0 rows that had failed transiently (40 rows still failed)');
    expect(again.stdout).toContain('40 rows failed transiently: run the same command again to re-score just those rows');
    expect(again.stdout).not.toContain('failed again in this run');
    // Why they failed again is said, as a mend with the service unreachable says it (unreachable.ts): each got HTTP 500.
    expect(again.stdout).toMatch(
      /\n  the service is failing: the 40 rows sent again all failed transiently \(Workers AI failed transiently \(HTTP 500, code \d+\)[^\n]*\); run the same command again once it answers \(40 of 40 rows that had failed transiently failed again\)\n/,
    );
    expect(summaryOf(summary)).toMatchObject({ status: 'done', exitCode: 0, failedRows: { retry: 40, final: 0 }, warning: expect.stringMatching(/^the service is failing: the 40 rows sent again/) });
    expect(readFileSync(output).equals(outputBefore)).toBe(true);
  });

  // Its rows answered by something else at the base URL (a proxy's HTML page) where the service had failed them: the
  // verdict is the output's (exit 0), but the cause is said, as a run's stop says it, not just "run the same command
  // again", which changes nothing while a proxy answers in the service's place.
  it('every listed row answered by something else than the model: the same exit, and the cause said', async () => {
    const { summary, args } = job('foreign', 400, 10);
    expect((await runCli(args, { env: env() })).code).toBe(0);
    server.setFaults({ seed: 5, rules: [{ textIncludes: 'FLAKY', respond: { malformed: true } }] });
    try {
      const again = await runCli(args, { env: env() });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('mended 0 rows that had failed transiently (40 rows still failed)');
      expect(again.stdout).toMatch(/\n  the answers are not the model's: the last 40 rows sent got an answer that is not a Workers AI text-classification result \(Workers AI sent a malformed answer: .*check what answers at the base URL/);
      expect(summaryOf(summary)).toMatchObject({ status: 'done', exitCode: 0, mended: 0, warning: expect.stringMatching(/^the answers are not the model's/) });
    } finally {
      server.setFaults({ seed: 5, rules: [{ textIncludes: 'FLAKY', respond: { status: 500 } }] });
    }
  });

  it('stopped by the rate of its rows failing again: the same, and the stop said', async () => {
    // More listed rows than the mend holds in flight before it writes (--concurrency 4: 256), so its rows are judged
    // while it still has rows to send.
    const { output, summary, args } = job('stopped', 2000, 5);
    args.push('--concurrency', '4');
    const first = await runCli(args, { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('400 rows failed transiently');
    const outputBefore = readFileSync(output);

    const before = server.stats().total;
    const again = await runCli(args, { env: env() });
    expect(again.code).toBe(0);
    // The mend's stop is kept: not every listed row was sent.
    expect(server.stats().total - before).toBeLessThan(400);
    const [stop, rerun] = again.stdout.trimEnd().split('\n').slice(-2);
    expect(stop).toBe(
      '  50 of the last 50 rows sent to the model failed (limit --max-error-rate 0.5); stopping instead of burning through the file: the service is failing: ' +
        'run the same command again once it answers (the output is left as it was, its failed rows still listed: that run mends them)',
    );
    expect(rerun).toBe('  400 rows failed transiently: run the same command again to re-score just those rows');
    expect(summaryOf(summary)).toMatchObject({ status: 'done', exitCode: 0, outputComplete: true, failedRows: { retry: 400, final: 0 } });
    expect(readFileSync(output).equals(outputBefore)).toBe(true);
  });

  it('a resumed run that completes the output, then mends the earlier rows and is stopped so: the same', async () => {
    const { summary, args } = job('resumed', 2000, 5);
    args.push('--concurrency', '4');
    // A budget pauses the first run halfway (exit 75), its failed rows listed.
    expect((await runCli([...args, '--max-requests', '1000'], { env: env() })).code).toBe(75);
    const resumed = await runCli(args, { env: env() });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('stopping instead of burning through the file: the service is failing: run the same command again once it answers (the output is left as it was, its failed rows still listed: that run mends them)\n');
    expect(resumed.stdout.trimEnd().split('\n').at(-1)).toBe('  400 rows failed transiently: run the same command again to re-score just those rows');
    expect(summaryOf(summary)).toMatchObject({ status: 'done', exitCode: 0, outputComplete: true, failedRows: { retry: 400, final: 0 } });
  });
});
