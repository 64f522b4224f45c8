/**
 * The issue-7 check, scaled down: several processes scoring against one
 * account of the local Workers AI server (`rpm` L), with and without the
 * Redis-shared limit.
 *
 * With Redis: A and B start together, C joins 15 s later, B is killed with
 * SIGKILL at 40 s, the run ends at `seconds` (default 65, so one full 60 s
 * window is seen). Reported: the server's most requests in any 60 s window
 * (must be <= L), its 3021 answers (must be 0), the throughput as a share of
 * L, each process's share, how long the late joiner took to get its share,
 * and how long the survivors took to regain the killed one's share.
 * Without Redis: A, B and C with local limits only, for 25 s: the overshoot.
 *
 * Each child is this file (`--child`), running the project's RequestLimiter
 * (with the shared bottleneck when given `--redis`) around plain POSTs.
 *
 *   npm run build && node dist/bench/shared-limit.js [--rpm 1200] [--seconds 65]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { createSharedBottleneck } from '../src/scoring/shared-limiter.js';
import { MODEL_ID, startServer } from '../src/server/index.js';
import { REDIS_SERVER, TestRedis } from '../test/support/redis.js';
import { TestScorer } from '../test/support/test-scorer.js';

const ACCOUNT = 'bench-account';
const CONCURRENCY = 8;

interface ChildPlan {
  name: string;
  startMs: number;
  killMs?: number;
}

interface Series {
  name: string;
  /** [time since the scenario's start in ms, successful requests so far] */
  ticks: Array<[number, number]>;
}

async function child(values: Record<string, string | undefined>): Promise<void> {
  const rpm = Number(values.rpm);
  const until = Number(values.until);
  const bottleneck = values.redis
    ? await createSharedBottleneck({ redisUrl: values.redis, accountId: ACCOUNT, model: MODEL_ID, rpm, concurrency: CONCURRENCY })
    : undefined;
  const limiter = new RequestLimiter({ rpm, concurrency: CONCURRENCY, ...(bottleneck ? { bottleneck } : {}) });
  const pool = new Pool(values.server as string, { connections: CONCURRENCY });
  const path = `/client/v4/accounts/${ACCOUNT}/ai/run/${MODEL_ID}`;
  let ok = 0;
  let rateLimited = 0;
  const tick = setInterval(() => console.log(`tick ${Date.now()} ${ok}`), 500);
  const send = async (): Promise<void> => {
    const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'great pizza' }) });
    const body = (await res.body.json()) as { errors?: Array<{ code: number }> };
    if (res.statusCode === 200) ok += 1;
    else if (body.errors?.[0]?.code === 3021) {
      rateLimited += 1;
      limiter.slowDown(); // as the job does
    }
  };
  // Like the job's pipeline: more rows waiting than requests in flight.
  await Promise.all(
    Array.from({ length: CONCURRENCY * 4 }, async () => {
      while (Date.now() < until) await limiter.schedule(send);
    }),
  );
  clearInterval(tick);
  console.log(`tick ${Date.now()} ${ok}`);
  await limiter.stop();
  await pool.close();
  console.log(`result ${JSON.stringify({ ok, rateLimited })}`);
}

/** Runs the children of one scenario against a fresh server; returns the server's stats and each child's progress. */
async function scenario(rpm: number, plans: ChildPlan[], endMs: number, redisUrl?: string) {
  const server = await startServer({ scorer: new TestScorer(), rpm, latency: '50-150ms' });
  const t0 = Date.now() + 1_000;
  const series: Series[] = [];
  const running: Array<Promise<void>> = [];
  const self = fileURLToPath(import.meta.url);
  for (const plan of plans) {
    const entry: Series = { name: plan.name, ticks: [] };
    series.push(entry);
    running.push(
      (async () => {
        await sleepUntil(t0 + plan.startMs);
        const args = [self, '--child', '--server', server.url, '--rpm', String(rpm), '--until', String(t0 + endMs), ...(redisUrl ? ['--redis', redisUrl] : [])];
        const proc: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        const kill = plan.killMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), t0 + plan.killMs - Date.now());
        for await (const line of createInterface({ input: proc.stdout as NodeJS.ReadableStream })) {
          const [kind, at, ok] = line.split(' ');
          if (kind === 'tick') entry.ticks.push([Number(at) - t0, Number(ok)]);
        }
        await exited;
        clearTimeout(kill);
      })(),
    );
  }
  await Promise.all(running);
  const stats = server.stats();
  await server.close();
  const first = Date.parse(stats.firstRequestAt ?? '');
  const last = Date.parse(stats.lastRequestAt ?? '');
  const seconds = (last - first) / 1000;
  return {
    series,
    server: {
      maxInAnyWindow: stats.maxInAnyWindow.all,
      limit: rpm,
      accepted: stats.accounts[ACCOUNT]?.accepted ?? 0,
      rateLimited3021: stats.byCode['3021'] ?? 0,
      seconds: round(seconds),
      // Throughput while the jobs ran, as a share of the limit.
      throughputOfLimit: round((stats.accounts[ACCOUNT]?.ok ?? 0) / seconds / (rpm / 60)),
    },
  };
}

/** Successful requests per second of one child between two times (ms since the start). */
function rate(series: Series, fromMs: number, toMs: number): number {
  const at = (ms: number): number => {
    let value = 0;
    for (const [t, ok] of series.ticks) if (t <= ms) value = ok;
    return value;
  };
  return (at(toMs) - at(fromMs)) / ((toMs - fromMs) / 1000);
}

/** First time (ms since the start, from `fromMs`) at which the summed 2 s rate of `of` reaches `target` per second. */
function reached(of: Series[], fromMs: number, target: number, endMs: number): number | undefined {
  for (let t = fromMs; t + 2_000 <= endMs; t += 500) {
    if (of.reduce((sum, s) => sum + rate(s, t, t + 2_000), 0) >= target) return t + 2_000;
  }
  return undefined;
}

export async function run(options: { rpm?: number; seconds?: number } = {}): Promise<Record<string, unknown>> {
  const rpm = options.rpm ?? 1_200;
  const endMs = (options.seconds ?? 65) * 1_000;
  const perSecond = rpm / 60;
  const result: Record<string, unknown> = { rpm, concurrencyPerProcess: CONCURRENCY };

  if (REDIS_SERVER) {
    const redis = await TestRedis.start();
    try {
      const joinMs = 15_000;
      const killMs = 40_000;
      const shared = await scenario(rpm, [{ name: 'A', startMs: 0 }, { name: 'B', startMs: 0, killMs }, { name: 'C', startMs: joinMs }], endMs, redis.url);
      const [a, b, c] = shared.series as [Series, Series, Series];
      const joined = reached([c], joinMs, (0.8 * perSecond) / 3, killMs);
      const regained = reached([a, c], killMs, 0.9 * perSecond, endMs);
      result.withRedis = {
        ...shared.server,
        sharesAB_5to15s: [round(rate(a, 5_000, joinMs) / perSecond), round(rate(b, 5_000, joinMs) / perSecond)],
        sharesABC_25to40s: [a, b, c].map((s) => round(rate(s, 25_000, killMs) / perSecond)),
        sharesAC_afterKill: [a, c].map((s) => round(rate(s, killMs + 5_000, endMs) / perSecond)),
        lateJoinerReachedShareAfterSeconds: joined === undefined ? null : round((joined - joinMs) / 1000),
        survivorsRegainedAfterKillSeconds: regained === undefined ? null : round((regained - killMs) / 1000),
      };
    } finally {
      await redis.close();
    }
  } else {
    result.withRedis = 'skipped: redis-server is not installed';
  }
  const local = await scenario(rpm, ['A', 'B', 'C'].map((name) => ({ name, startMs: 0 })), Math.min(endMs, 25_000));
  result.withoutRedis = local.server;

  console.log(`shared-limit: L = ${rpm} rpm, 3 processes x concurrency ${CONCURRENCY}`);
  console.log(JSON.stringify(result, null, 2));
  return result;
}

function round(value: number): number {
  return Number(value.toFixed(3));
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' },
      server: { type: 'string' },
      rpm: { type: 'string' },
      until: { type: 'string' },
      redis: { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  if (values.child) await child(values as Record<string, string | undefined>);
  else await run({ ...(values.rpm ? { rpm: Number(values.rpm) } : {}), ...(values.seconds ? { seconds: Number(values.seconds) } : {}) });
}
