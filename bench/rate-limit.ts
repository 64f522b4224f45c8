/**
 * The share of the rate limit the job really uses: the real CLI against the
 * project's server (`serve`) with --rpm L on both sides and answers taking
 * 80-250 ms, for a little over a minute. Read from the server's own stats:
 * the most requests in any 60 s window (must be ≤ L, aim ≥ 98 % of L) and the
 * 429s (the job must cause none).
 *
 * BENCH_JITTER=0-200ms holds every request back 0-200 ms on the server before
 * it counts as arrived (`serve --arrival-jitter`): delivery jitter, under which
 * evenly sent requests arrive bunched (aim ≥ 97 %, never over, no 429).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runNode, startServe } from './support.js';

const RPM = Number(process.env.BENCH_RPM ?? 6000);
const ROWS = Math.round(RPM * 1.25);
const JITTER = process.env.BENCH_JITTER;

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-rate-'));
  const server = await startServe(['--rpm', String(RPM), '--latency', '80-250ms', '--seed', '3', ...(JITTER ? ['--arrival-jitter', JITTER] : [])]);
  const { url } = server;
  try {
    const input = path.join(dir, 'in.csv');
    const lines = ['id,review'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},"distinct review number ${i}, it was ${i % 2 ? 'great' : 'awful'}"`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const started = Date.now();
    const job = await runNode([CLI, 'score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--rpm', String(RPM), '--concurrency', '64', '--progress', 'off', '--log-level', 'warn'], {
      ...process.env,
      CLOUDFLARE_ACCOUNT_ID: 'bench',
      CLOUDFLARE_API_TOKEN: 'bench-token',
      CLOUDFLARE_BASE_URL: `${url}/client/v4`,
    });
    const seconds = (Date.now() - started) / 1000;
    const stats = (await (await fetch(`${url}/__stats`)).json()) as { total: number; byStatus: Record<string, number>; maxInAnyWindow: { all: number; accepted: number } };
    const share = stats.maxInAnyWindow.all / RPM;
    const figures = {
      rpm: RPM,
      arrivalJitter: JITTER ?? 'none',
      rows: ROWS,
      exitCode: job.code,
      seconds,
      requests: stats.total,
      maxInAny60s: stats.maxInAnyWindow.all,
      shareOfLimit: Number(share.toFixed(4)),
      status429: stats.byStatus['429'] ?? 0,
    };
    console.log(
      `rate limit ${RPM}/min, latency 80-250 ms, arrival jitter ${JITTER ?? 'none'}: ${stats.total} requests in ${seconds.toFixed(1)} s; most in any 60 s window ${stats.maxInAnyWindow.all} = ${(share * 100).toFixed(2)} % of the limit (aim ≥ ${JITTER ? 97 : 98} %, never > 100 %); 429s: ${figures.status429}; job exit ${job.code}`,
    );
    return figures;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
