import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';

const ROWS = 300;

/**
 * A gzip input paused part way (a request budget) and run again: the resume
 * continues the reader that proved the checkpoint (gzip-resume-reads-once.test.ts
 * counts the passes) and ends with the bytes of a run never paused.
 */
describe('a paused gzip input resumes to the same bytes', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456', CLOUDFLARE_BASE_URL: server.baseURL });

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms' });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const jsonl = Array.from({ length: ROWS }, (_, i) => `${JSON.stringify({ id: i, review: `review ${i}: ${i % 3 ? 'great' : 'awful'}` })}\n`).join('');
  it.each([
    ['csv', syntheticCsv(ROWS)],
    ['jsonl', jsonl],
  ])('%s.gz', async (format, text) => {
    const input = path.join(dir, `in.${format}.gz`);
    writeFileSync(input, gzipSync(text));
    const textFlag = format === 'csv' ? '--text-column' : '--text-field';
    const args = (output: string, ...extra: string[]) => ['score', input, textFlag, 'review', '-o', output, '--rpm', '600000', ...extra];
    const lone = path.join(dir, `lone.${format}`);
    expect((await runCli(args(lone), { env: env() })).code).toBe(0);

    const output = path.join(dir, `paused.${format}`);
    expect((await runCli(args(output, '--max-requests', '100'), { env: env() })).code).toBe(75);
    const resumed = await runCli(args(output, '--resume', 'require'), { env: env() });
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(resumed.code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(lone))).toBe(true);
  }, 30_000);
});
