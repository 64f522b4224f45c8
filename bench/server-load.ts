/**
 * Load check of the Workers AI–compatible server: how many requests per second
 * it answers on loopback, so it is never the bottleneck of a benchmark of the job.
 *
 * Server and client share one Node process and one event loop here, so the
 * figure is a lower bound of what the server alone sustains.
 *
 *   npm run build && node dist/bench/server-load.js [seconds] [connections]
 */
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { MODEL_ID, startServer } from '../src/server/index.js';
import { TestScorer } from '../test/support/test-scorer.js';

const TEXTS = [
  'The pizza arrived hot and the crust was great, best delivery in town, would order again.',
  'Terrible service, the order was wrong twice and the manager was rude about it. Awful.',
  'It was fine. Nothing special, nothing bad, the fries were a bit cold but the burger was nice.',
  'I love this place! Wonderful staff, amazing coffee and the cakes are fantastic.',
];

export async function run(durationMs = 5_000, connections = 64): Promise<Record<string, unknown>> {
  const server = await startServer({ scorer: new TestScorer() });
  const pool = new Pool(server.url, { connections, pipelining: 1 });
  const path = `/client/v4/accounts/bench/ai/run/${MODEL_ID}`;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;

  async function worker(id: number): Promise<void> {
    for (let i = id; performance.now() < deadline; i += connections) {
      const sent = performance.now();
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: TEXTS[i % TEXTS.length] }),
      });
      const body = (await res.body.json()) as { success?: boolean };
      latencies.push(performance.now() - sent);
      if (res.statusCode === 200 && body.success === true) ok += 1;
      else failed += 1;
    }
  }

  await Promise.all(Array.from({ length: connections }, (_, id) => worker(id)));
  const elapsedMs = performance.now() - started;
  const stats = server.stats();
  await pool.close();
  await server.close();

  latencies.sort((a, b) => a - b);
  const percentile = (p: number): number => Number((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(2));
  const result = {
    connections,
    seconds: Number((elapsedMs / 1000).toFixed(2)),
    requests: ok + failed,
    ok,
    failed,
    requestsPerSecond: Math.round((ok + failed) / (elapsedMs / 1000)),
    latencyMs: { p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) },
    serverCountedAll: stats.total === ok + failed,
  };
  console.log(
    `server-load: ${result.requestsPerSecond} requests/s over ${result.seconds} s with ${connections} connections ` +
      `(${result.requests} requests, ${failed} failed, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms; ` +
      `server counted ${stats.total})`,
  );
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 64);
  await run(seconds * 1000, connections);
}
