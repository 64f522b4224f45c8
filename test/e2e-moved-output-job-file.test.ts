import { describe, expect, it } from 'vitest';
import { logLines, runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A job file's "output" edited between two runs of an unfinished job: the warning (job/moved-output.ts) told the user
 * to "run with --cache DIR", a flag for one run, where the job file's key names what the next night's run needs too,
 * as the same line names "output" in the job file.
 */
describe('the moved-output warning in a job file\'s run', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it('names the job file\'s "cache" key, not the --cache flag', async () => {
    const running = await server.start();
    const env = workersAiEnv(running);
    dir.file('in.csv', syntheticCsv(80, { duplicateEvery: 0, emptyEvery: 0 }));
    const job = (output: string, extra: Record<string, unknown> = {}) => dir.file('job.json', JSON.stringify({ input: 'in.csv', output, textColumn: 'review', rpm: 600000, ...extra }));
    expect((await runCli(['run', job('a.scored.csv', { maxRequests: 20 })], { env })).code).toBe(75);
    const moved = await runCli(['run', job('b.scored.csv'), '--log-format', 'json'], { env });
    expectCleanError(moved.stderr);
    expect(moved.code).toBe(0);
    const line = logLines(moved.stderr).map((entry) => String(entry['msg'])).find((msg) => msg.startsWith('no checkpoint is at')) ?? '';
    expect(line).toContain('the 20 requests the unfinished job paid for are not reused by this one (add "cache": "DIR" to the job file to keep answers across jobs');
    expect(line).not.toContain('--cache');
    expect(line).toMatch(/to continue that job instead, set "output" in the job file back to \S*a\.scored\.csv$/);
  });
});
