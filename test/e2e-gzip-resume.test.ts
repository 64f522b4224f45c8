import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 300;
const JSONL = Array.from({ length: ROWS }, (_, i) => `${JSON.stringify({ id: i, review: `review ${i}: ${i % 3 ? 'great' : 'awful'}` })}\n`).join('');

/**
 * A gzip input paused part way (a request budget) and run again: the resume
 * continues the reader that proved the checkpoint (gzip-resume-reads-once.test.ts
 * counts the passes) and ends with the bytes of a run never paused.
 */
describe('a paused gzip input resumes to the same bytes', () => {
  const dir = useTempDir();
  const server = useTestServer();

  it.each([
    ['csv', syntheticCsv(ROWS)],
    ['jsonl', JSONL],
  ])('%s.gz', async (format, text) => {
    const { baseURL } = await server.start({ latency: '1-3ms' });
    const env = workersAiEnv({ baseURL });
    const input = dir.file(`in.${format}.gz`, gzipSync(text));
    const textFlag = format === 'csv' ? '--text-column' : '--text-field';
    const args = (output: string, ...extra: string[]) => ['score', input, textFlag, 'review', '-o', output, '--rpm', '600000', ...extra];
    const lone = dir.path(`lone.${format}`);
    expect((await runCli(args(lone), { env })).code).toBe(0);

    const output = dir.path(`paused.${format}`);
    expect((await runCli(args(output, '--max-requests', '100'), { env })).code).toBe(75);
    const resumed = await runCli(args(output, '--resume', 'require'), { env });
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(lone))).toBe(true);
  });
});
