/**
 * Issue 7's check with the real CLI: two `score` processes on one account of
 * the local server (its `rpm` L), first sharing the limit through Redis, then
 * each with only its own local limit. Read from the server's stats: the most
 * requests in any 60 s window (≤ L with Redis), the 3021 answers (0 with
 * Redis), and the throughput as a share of L.
 *
 *   npm run build && node dist/bench/shared-limit-cli.js     (about 2 minutes)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../src/server/index.js';
import { REDIS_SERVER, TestRedis } from '../test/support/redis.js';
import { TestScorer } from '../test/support/test-scorer.js';
import { CLI, runNode } from './support.js';

const RPM = 1200;
const JOBS = 2;

async function scenario(dir: string, name: string, rowsPerJob: number, redisUrl: string | undefined): Promise<Record<string, unknown>> {
  const server = await startServer({ scorer: new TestScorer(), rpm: RPM, latency: '50-150ms', seed: 5 });
  try {
    const started = Date.now();
    const jobs = Array.from({ length: JOBS }, (_, j) => {
      const input = path.join(dir, `${name}-${j}.csv`);
      const lines = ['id,review'];
      for (let i = 0; i < rowsPerJob; i++) lines.push(`${i},"job ${j} ${name} review ${i} was great"`);
      writeFileSync(input, `${lines.join('\n')}\n`);
      const args = [CLI, 'score', input, '--text-column', 'review', '-o', path.join(dir, `${name}-${j}.out.csv`), '--rpm', String(RPM), '--concurrency', '8', '--progress', 'off', '--log-level', 'warn'];
      if (redisUrl) args.push('--redis', redisUrl);
      return runNode(args, { ...process.env, CLOUDFLARE_ACCOUNT_ID: 'shared-account', CLOUDFLARE_API_TOKEN: 'bench-token', CLOUDFLARE_BASE_URL: server.baseURL });
    });
    const results = await Promise.all(jobs);
    const seconds = (Date.now() - started) / 1000;
    const stats = server.stats();
    const figures = {
      scenario: name,
      exitCodes: results.map((r) => r.code),
      seconds: Number(seconds.toFixed(1)),
      requests: stats.total,
      maxInAny60s: stats.maxInAnyWindow.all,
      limit: RPM,
      rateLimited3021: stats.byCode['3021'] ?? 0,
      // Over the first full minute the most that may be sent is L: the share of it actually used.
      shareOfLimit: Number((Math.min(stats.maxInAnyWindow.accepted, RPM) / RPM).toFixed(3)),
    };
    console.log(
      `${name}: ${JOBS} jobs, ${stats.total} requests in ${seconds.toFixed(1)} s; most in any 60 s window ${stats.maxInAnyWindow.all} (limit ${RPM}); 3021 answers ${figures.rateLimited3021}; share of the limit used ${(figures.shareOfLimit * 100).toFixed(1)} %; exits ${figures.exitCodes.join(',')}`,
    );
    return figures;
  } finally {
    await server.close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  if (!REDIS_SERVER) {
    console.log('shared-limit-cli: skipped, redis-server is not installed (bash .ci/install-redis.sh)');
    return { skipped: 'no redis-server' };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-shared-cli-'));
  const redis = await TestRedis.start();
  try {
    // Enough rows for a little over a minute at L together.
    const shared = await scenario(dir, 'with-redis', Math.ceil((RPM * 1.15) / JOBS), redis.url);
    // Without sharing each job runs at L: half a minute shows the overshoot.
    const local = await scenario(dir, 'without-redis', Math.ceil((RPM * 0.6) / JOBS) * 2, undefined);
    return { shared, local };
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
