import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, TestRedis, freePort } from './support/redis.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

describe.skipIf(!REDIS_SERVER)(`score --redis (${REDIS_SKIP_REASON})`, () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let redis: TestRedis;
  const env = () => workersAiEnv(server);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis.close();
    await server.close();
    cleanup();
  });

  it('shares the limit through Redis and writes the same output as a local run', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(60));
    const local = path.join(dir, 'local.csv');
    const shared = path.join(dir, 'shared.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', local, '--rpm', '100000'], { env: env() })).code).toBe(0);
    const result = await runCli(['score', input, '--text-column', 'review', '-o', shared, '--rpm', '100000', '--redis', redis.url], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/sharing the rate limit through Redis/);
    expect(readFileSync(shared).equals(readFileSync(local))).toBe(true);
  });

  it("a password that Redis does not need: the client library's warning is a log line like the others, password hidden", async () => {
    const input = path.join(dir, 'password.csv');
    writeFileSync(input, syntheticCsv(5));
    const withPassword = redis.url.replace('redis://', 'redis://:not-needed-secret@');
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'password.out.csv'), '--redis', withPassword, '--log-format', 'json'];
    const result = await runCli(args, { env: env() });
    expect(result.code).toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    // ioredis writes "[WARN] … does not require a password …" with console.warn: a line no log collector could read.
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; from?: string; msg: string }).filter((entry) => entry.from === 'library');
    // One line, as docs/shared-limit.md says: the limiter's two connections each had the library say it (2 lines).
    expect(warnings.length).toBe(1);
    for (const warning of warnings) {
      expect(warning.level).toBe(40);
      expect(warning.msg).toMatch(/^This Redis server's `default` user does not require a password|^Redis server does not require a password/);
    }
    expect(result.stdout + result.stderr).not.toContain('not-needed-secret');
  });

  it('an unreachable Redis is a configuration error that says what to fix, password hidden', async () => {
    const input = path.join(dir, 'unreachable.csv');
    writeFileSync(input, syntheticCsv(5));
    const port = await freePort();
    const result = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'x.csv'), '--redis', `redis://user:hunter2secret@127.0.0.1:${port}`], {
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Redis/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain('hunter2secret');
  });
});
