import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, runCli, spawnCli, tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, silentRedis, TestRedis } from './support/redis.js';
import { holdingProxy } from './support/redis-proxy.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const MOUNT = canMount();

/**
 * What the CLI says while a job sets up, with a --redis that never answers (a port that takes connections and
 * replies nothing) holding the setup for its 5 s: a stop then, and an error then hiding the output lock's fault. Then
 * a Redis that stops answering once it is ready (a proxy in front of a real redis-server holding its replies): the
 * commands the limiter sends after ready are bounded and stoppable too.
 */
describe('lines said while the job sets up (the real CLI, a Redis that never answers)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  const TOKEN = 'token-abcdef123456';
  const env = () => workersAiEnv(server, { token: TOKEN });
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', token: TOKEN });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(50));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  const mountTmpfs = useTmpfsMounts(() => dir);

  // It logged "stopping: finishing requests in flight, then saving the checkpoint", waited the 5 s out and ended
  // exit 2 on "cannot reach Redis".
  it('a SIGTERM while it waits for Redis: says nothing is in flight or saved, and ends there, exit 130, nothing written', async () => {
    const silent = await silentRedis();
    try {
      const folder = path.join(dir, 'stopped');
      const child = spawnCli(['score', input, '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--redis', silent.url, '--log-format', 'json'], { env: env() });
      await silent.connected;
      child.kill('SIGTERM');
      const result = await child.result;
      expect(result.code).toBe(130);
      expect(result.stderr).not.toMatch(/finishing requests in flight|saving the checkpoint|cannot reach Redis/);
      expect(result.stderr).toContain('stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save');
      // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts).
      expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
      expect(logLines(result.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  // The Redis line was the only one: fixed, the next run met the read-only folder.
  it.skipIf(!MOUNT)('an output folder mounted read-only (root): the Redis error ends the run (exit 2), and the folder is said too, once', async () => {
    const folder = mountTmpfs('ro', '4m');
    const output = path.join(folder, 'out.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', output], { env: env() })).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', folder]);
    const silent = await silentRedis();
    try {
      const summaryJson = path.join(dir, 'ro-summary.json');
      const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--prefix', 'other', '--redis', silent.url, '--log-format', 'json', '--summary-json', summaryJson], { env: env() });
      expect(result.code).toBe(2);
      // What a scheduler reads: the Redis error, and the folder beside it.
      expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({
        status: 'failed',
        exitCode: 2,
        message: expect.stringMatching(/^cannot reach Redis at /),
        warning: expect.stringMatching(new RegExp(`^the output's lock could not be taken, .*: the folder ${folder} is on a read-only filesystem`)),
      });
      expect(result.stderr.match(/read-only filesystem/g)).toHaveLength(1);
      expect(result.stderr).toContain(`besides what ends this run (below), the output's lock could not be taken, which the next run needs unless it finds the job already done (that writes nothing): the folder ${folder} is on a read-only filesystem`);
      expect(result.stderr).not.toMatch(/starting over/);
      // --log-format json: the usage error's line is JSON too, the last of them (test/e2e-error-line-json.test.ts).
      const lines = result.stderr.trim().split('\n');
      expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 50, exitCode: 2, msg: expect.stringMatching(/^cannot reach Redis at /) });
    } finally {
      await silent.close();
    }
  });

  describe.skipIf(!REDIS_SERVER)(`a Redis that stops answering once it is ready (${REDIS_SKIP_REASON})`, () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await TestRedis.start();
    });
    afterAll(async () => {
      await redis?.close();
    });
    // The EVAL that adopts the group's rate, the first command after ready (bottleneck's own scripts have no
    // `local current =`), and the PEXPIREs of the group's keys after it (sent as commands only there).
    const ADOPT_RATE = 'LOCAL CURRENT = TONUMBER';
    const KEY_EXPIRY = '\r\nPEXPIRE\r\n';

    // It waited for the reply for good: the SIGTERM logged its line and the run went on waiting (a second signal, or
    // SIGKILL, ended it).
    it('a SIGTERM while the reply to the EVAL after ready is held: ends there, exit 130, nothing written', async () => {
      const proxy = await holdingProxy(redis.port);
      try {
        proxy.holdNewAfter(ADOPT_RATE);
        const folder = path.join(dir, 'held-stopped');
        const child = spawnCli(['score', input, '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--redis', proxy.url, '--log-format', 'json'], { env: env() });
        await proxy.sent(ADOPT_RATE);
        child.kill('SIGTERM');
        const result = await child.result;
        expect(result.code).toBe(130);
        expect(result.stderr).toContain('stopping while the job still sets up: nothing has been sent or written, so there is no checkpoint to save');
        // --log-format json: the closing line is JSON too, at warn (test/e2e-closing-line-json.test.ts).
        expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'))).toEqual([]);
        expect(logLines(result.stderr).at(-1)).toEqual({ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM before any work began' });
        expect(readdirSync(folder)).toEqual([]);
      } finally {
        await proxy.close();
      }
    }, 60_000);

    // It waited for good: the 5 s connect time-out covered only the wait for ready.
    it('no reply to the key expiry after ready: one line, Redis did not answer within 5 s, exit 2, nothing written', async () => {
      const proxy = await holdingProxy(redis.port);
      try {
        proxy.holdNewAfter(KEY_EXPIRY);
        const folder = path.join(dir, 'held-expiry');
        const result = await runCli(['score', input, '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--redis', proxy.url, '--log-format', 'json'], { env: env() });
        expect(result.code).toBe(2);
        // --log-format json: the usage error's line is JSON too, the last of them (test/e2e-error-line-json.test.ts).
        const lines = result.stderr.trim().split('\n');
        expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
        expect(JSON.parse(lines.at(-1)!)).toMatchObject({
          level: 50,
          exitCode: 2,
          msg: expect.stringMatching(new RegExp(`^Redis at ${proxy.url} did not answer within 5 s: it took the connection, then gave no reply to the shared rate limit's setup .*leave the Redis URL out\\.$`)),
        });
        await proxy.sent(KEY_EXPIRY);
        expect(readdirSync(folder)).toEqual([]);
      } finally {
        await proxy.close();
      }
    }, 60_000);
  });
});
