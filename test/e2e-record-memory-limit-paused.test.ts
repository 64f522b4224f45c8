import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const FAKE_LIMIT = path.join(REPO_ROOT, 'test/support/fake-memory-limit.mjs');
const MIB = 1024 * 1024;
/** 5.3 MB: over the 4 MiB a CSV record may have under a 128 MiB limit, under the 8 MiB it may have under 256 MiB. */
const BIG = 'great plot '.repeat(482_000);

/**
 * A paused job (its request budget used up) resumed under another memory limit (io/record-bound.ts): the resume proves
 * its checkpoint by reading the last row written, before it decides the limit its records are judged under (run.ts).
 * e2e-record-memory-limit-resume.test.ts continues a job complete at its --limit, whose proof reads no record.
 */
describe('a paused job resumed under another memory limit', () => {
  const temp = useTempDir();
  const server = useTestServer();
  const run = async (args: string[], limit: number, env: Record<string, string>) =>
    runCli(args, { cwd: temp.path('.'), env: { ...env, NODE_OPTIONS: `--import ${FAKE_LIMIT}`, SB_TEST_MEMORY_LIMIT: String(limit) } });
  const rowsOf = (output: string) => parse(readFileSync(output), { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
  const csv = `id,review\n1,good\n2,"${BIG}"\n3,awful\n4,"${BIG}"\n`;

  it("a gzip input's: started under 128 MiB, resumed under 256 MiB, row 4 is refused as row 2 was, and not sent", async () => {
    const served = await server.start();
    const env = workersAiEnv(served);
    const input = temp.path('up.csv.gz');
    writeFileSync(input, gzipSync(csv));
    const output = temp.path('up.scored.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--concurrency', '1'];
    // Row 1 is sent, row 2 refused for its size, row 3 would be the second request: paused after row 2.
    const first = await run([...args, '--max-requests', '1'], 128 * MIB, env);
    expect(first.code, first.stderr).toBe(75);
    const second = await run(args, 256 * MIB, env);
    expect(second.code, second.stderr).toBe(0);
    const rows = rowsOf(output);
    expect(rows.map((row) => row.sentiment_error?.split(':')[0])).toEqual(['', 'record_too_large', '', 'record_too_large']);
    expect(rows[3]?.sentiment_error).toBe(rows[1]?.sentiment_error);
    // Rows 1 and 3 only: before the fix row 4 was scored too, sent and paid for under this run's 256 MiB.
    expect(served.stats().total).toBe(2);
  });

  it('started under 256 MiB, resumed under 128 MiB: continued from its checkpoint (row 2 kept scored), not started over', async () => {
    const env = workersAiEnv(await server.start());
    const input = temp.file('down.csv', csv);
    const output = temp.path('down.scored.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--concurrency', '1'];
    // Rows 1 and 2 are sent and written, row 3 would be the third request: paused after row 2, a row of 5.3 MB scored.
    const first = await run([...args, '--max-requests', '2'], 256 * MIB, env);
    expect(first.code, first.stderr).toBe(75);
    const second = await run(args, 128 * MIB, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('does not match');
    expect(second.stderr).toContain('resuming from the checkpoint');
    expect(second.stderr.split('\n').filter((line) => line.includes('may differ'))).toHaveLength(1);
    const rows = rowsOf(output);
    expect(rows.map((row) => row.sentiment_error?.split(':')[0])).toEqual(['', '', '', 'record_too_large']);
    expect(rows[1]?.sentiment_label).not.toBe('');
  });

  it("a completed job's rows failed transiently, mended under a smaller limit that cannot parse one: said so, the list kept for a run with more", async () => {
    const served = await server.start();
    const env = workersAiEnv(served);
    const input = temp.file('mend.csv', csv);
    const output = temp.path('mend.scored.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1'];
    // Rows 2 and 4 (5.3 MB each) fail transiently under 256 MiB, which parses them: listed for the next run to mend.
    served.setFaults({ rules: [{ textIncludes: 'great plot', respond: { status: 500 } }] });
    const first = await run([...args, '--max-error-rate', '1'], 256 * MIB, env);
    expect(first.code, first.stderr).toBe(0);
    served.setFaults({});
    const list = readFileSync(`${output}.failed-rows`);
    const small = await run(args, 128 * MIB, env);
    expect(small.code, small.stderr).toBe(3);
    const line = small.stderr.split('\n').find((text) => text.startsWith('sentiment-batch: ')) ?? '';
    // Not "edited or damaged … run with --restart": the list is the run's, and starting over would pay for every row again.
    expect(line).not.toContain('edited or damaged');
    expect(line).toContain('row 1');
    expect(line).toContain('128 MiB');
    expect(line).toContain('run the same command under a memory limit of 192 MiB or more');
    expect(line).toContain('nothing was mended and the output is unchanged');
    expect(readFileSync(`${output}.failed-rows`).equals(list)).toBe(true);
    // Under the job's 256 MiB the same command mends every row.
    const again = await run(args, 256 * MIB, env);
    expect(again.code, again.stderr).toBe(0);
    expect(rowsOf(output).map((row) => row.sentiment_error)).toEqual(['', '', '', '']);
  });
});
