import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server/index.js';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, TestRedis } from './support/redis.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * The summary's line about rows that gave up on 429s said '(429, code 3021)' for a 429 that carried no code (a proxy's
 * or a gateway's), and told a run that already shared its limit through --redis to 'share the limit with the other
 * jobs through --redis'. It names the code the 429s carried, and with --redis, the work that does not share it.
 */
describe('the summary line about rows that gave up on 429s says what is true', () => {
  const { dir } = useFileTempDir();
  let input: string;
  beforeAll(() => {
    input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 8 }, (_, i) => `${i},thing ${i} is nice`).join('\n')}\n`);
  });
  const args = (output: string, extra: string[] = []) => ['score', input, '-o', path.join(dir, output), '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'error', ...extra];

  it('a 429 without a code is not said to be code 3021', async () => {
    const plain = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests'));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/client/v4`;
      const env = workersAiEnv({ baseURL: url }, { token: 'token-0123456789' });
      const run = await runCli(args('plain.out.csv'), { env });
      expect(run.stdout).toContain('\n  8 rows gave up on 429 answers (no code) although this run kept to --rpm: ');
      expect(run.stdout).not.toContain('3021');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  describe.skipIf(!REDIS_SERVER)(`with --redis (${REDIS_SKIP_REASON})`, () => {
    it('a run that shares its limit through --redis is not told to use --redis', async () => {
      const redis = await TestRedis.start();
      const server = await startServer({ scorer: new TestScorer(), rpm: 3 });
      try {
        const env = workersAiEnv(server, { token: 'token-0123456789' });
        const run = await runCli(args('shared.out.csv', ['--rpm', '600', '--redis', redis.url]), { env });
        expect(run.stdout).toContain(
          "\n  5 rows gave up on the service's per-minute limit (429, code 3021) although this run kept to --rpm shared through --redis: " +
            "the account's limit is lower, or other work that does not share this --redis uses the account; lower --rpm (every job sharing the limit), or give that work the same --redis (docs/shared-limit.md)\n",
        );
        expect(run.stdout).not.toContain('share the limit with the other jobs through --redis');
      } finally {
        await server.close();
        await redis.close();
      }
    });
  });
});
