import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOutput } from './support/byte-oracle.js';
import { rowsCheckpointed, runCli, spawnCli, waitWhileRunning } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { useTestServer } from './support/server.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 400;

/**
 * A MySQL default INTO OUTFILE export (docs/input-formats.md#exports-that-quote-nothing): reviews that open with a
 * quote, line breaks and tabs after a backslash, backslashes, NULLs (`\N`), a ragged row, CRLF rows.
 */
function mysqlExport(): string {
  let text = 'id\ttext\tstars\n';
  for (let i = 0; i < ROWS; i++) {
    const ending = i % 11 === 5 ? '\r\n' : '\n';
    if (i % 7 === 1) text += `${i}\t"Great app ${i}, love it\t5${ending}`;
    else if (i % 7 === 2) text += `${i}\tline one ${i}\\\nline two "quoted"\\\r\nline three\t4${ending}`;
    else if (i % 7 === 3) text += `${i}\ttab\\\there and C:\\\\dir\\\\ ${i}\t3${ending}`;
    else if (i % 7 === 4) text += `${i}\t\\N\t2${ending}`;
    else if (i % 37 === 5) text += `${i}\tragged ${i}${ending}`;
    else text += `${i}\tterrible "quote" here ${i}\t1${ending}`;
  }
  return text;
}

/**
 * --quote none under kill -9: each rerun resumes from the checkpoint (a record boundary after rows whose line breaks a
 * backslash escaped), and the output is byte for byte the output of a run never interrupted.
 */
describe('--quote none: kill -9 and rerun give the bytes of an uninterrupted run', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it('killed three times mid-run, then run to the end', async () => {
    const scorer = new TestScorer();
    const { baseURL } = await server.start({ scorer, latency: '2-4ms' });
    const env = workersAiEnv({ baseURL });
    const text = mysqlExport();
    const input = dir.file('export.tsv', text);
    const args = (output: string) => ['score', input, '--escape', 'backslash', '--quote', 'none', '-o', output, '--rpm', '600000', '--concurrency', '2', '--checkpoint-interval', '100ms'];

    const lone = dir.path('lone.tsv');
    const reference = await runCli(args(lone), { env });
    expect(reference.code).toBe(0);
    const oracle = checkOutput(Buffer.from(text), readFileSync(lone), { format: 'csv', delimiter: '\t', textNames: ['text'], escape: 'backslash', quote: 'none' });
    expect(oracle.problems).toEqual([]);
    expect(oracle.found.read).toBe(ROWS);
    expect(oracle.found.failed).toBeGreaterThan(0);

    const output = dir.path('killed.tsv');
    let resumed = 0;
    for (const atLeast of [60, 160, 260]) {
      const child = spawnCli(args(output), { env });
      await waitWhileRunning(child, () => rowsCheckpointed(output) >= atLeast, `${atLeast} rows checkpointed`);
      child.kill('SIGKILL');
      const killed = await child.result;
      expect(killed.signal).toBe('SIGKILL');
      if (/resuming from the checkpoint/.test(killed.stderr)) resumed++;
    }
    const last = await runCli(args(output), { env });
    expect(last.code).toBe(0);
    expect(last.stderr).toMatch(/resuming from the checkpoint/);
    // The second and third kill began with a resume too: the checkpoint each kill left was taken.
    expect(resumed).toBe(2);
    expect(readFileSync(output).equals(readFileSync(lone))).toBe(true);
  });
});
