import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitFor } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const BEFORE = 300;
const AFTER = 400;
/** Every third row of the first night's file fails transiently (100 rows). */
const FAILING = BEFORE / 3;
const NEW_ROWS = AFTER - BEFORE;
const CONCURRENCY = 2;
const make = (rows: number) => syntheticCsv(rows, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i < BEFORE && i % 3 === 0 ? ' FAIL-ME' : '') });

/**
 * A run that resumes a job (its export grown, or an outage's stop) and completes it mends the rows that failed
 * transiently before (mend-earlier-failures.ts). While the mend wrote its copy, its periodic checkpoints recorded the
 * digest of that half-written copy as the completed output's: killed with -9 then, the next run found the output at its
 * path "not the output the completed job wrote (its sha256 differs)", started over and paid for every row again (1,003
 * requests where 15 were left, against serve, 1,000 rows then 1,200). A rerun's mend (completed-rerun.ts) kept the
 * earlier digest for those saves already.
 */
describe('kill -9 during the mend that follows a resumed pass', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it('the rerun continues the mend: no row is paid twice, and the output is a fresh run of the file', async () => {
    const running = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv(running);
    const args = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', ...more];
    const freshOutput = dir.path('fresh.out.csv');
    expect((await runCli(args(dir.file('fresh.csv', make(AFTER)), freshOutput), { env })).code).toBe(0);

    const input = dir.file('in.csv', make(BEFORE));
    const output = dir.path('out.csv');
    running.setFaults({ latency: '1-3ms', rules: [{ textIncludes: 'FAIL-ME', respond: { status: 500 } }] });
    const first = await runCli(args(input, output, '--max-attempts', '1'), { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${FAILING} rows failed transiently`));

    // The export grows; the outage is over. The rerun scores the new rows, then mends the 100, slowly enough to be
    // killed part-way, after a few of its periodic checkpoints.
    writeFileSync(input, make(AFTER));
    running.setFaults({ latency: '20-30ms' });
    running.reset();
    const child = spawnCli(args(input, output, '--concurrency', String(CONCURRENCY), '--checkpoint-interval', '100ms'), { env });
    await waitFor(() => running.stats().total >= NEW_ROWS + FAILING / 2, 60_000, 'half the mend sent');
    child.kill('SIGKILL');
    await child.result;
    const killed = running.stats().total;
    expect(killed).toBeLessThan(NEW_ROWS + FAILING);

    running.setFaults({ latency: '1-3ms' });
    const rerun = await runCli(args(input, output), { env });
    expectCleanError(rerun.stderr);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/starting over/);
    // Each row once, but for the answers in flight when the kill came.
    expect(running.stats().total).toBeLessThanOrEqual(NEW_ROWS + FAILING + CONCURRENCY);
    expect(readFileSync(output).equals(readFileSync(freshOutput))).toBe(true);
  });
});
