/**
 * How long a stop takes with thousands of rows queued in the limiter (`--concurrency 2500` reads 20,000 ahead): the
 * figure the tests no longer assert. bottleneck takes queued jobs in a timer's turn each (~1.3 ms), and the limiter's
 * stop once waited behind all of them (27 s from SIGINT to exit with 20,000 queued, 2026-12-07). The tests assert the
 * mechanism on a clock that stands still (test/limiter-stop-queue.test.ts) and the stop's outcome with 8,000 queued
 * (test/e2e-stop-large-queue.test.ts); this measures the time, on whatever machine runs it:
 * - in-process: a RequestLimiter with one request in flight and N rows queued (5,000 and 20,000), from the request's
 *   answer to stop()'s return;
 * - the CLI: 8,000 rows, `score --rpm 600 --concurrency 2500` against `serve --latency 100ms`, SIGINT once a checkpoint
 *   holds rows, from the signal to the exit (130).
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { CLI, describeLoad, startServe } from './support.js';

const QUEUED = [5_000, 20_000];
const CLI_ROWS = 8_000;

/** One request in flight and `queued` rows behind it, their waiting signal aborted (a stop): ms from the answer to stop()'s return. */
async function limiterStopMs(queued: number): Promise<number> {
  const limiter = new RequestLimiter({ rpm: 60, concurrency: 1 });
  const waiting = new AbortController();
  // Every row waits on this one signal here (a run gives each its own child signal: job/abort-fanout.ts).
  setMaxListeners(Infinity, waiting.signal);
  let answer: (() => void) | undefined;
  const inFlight = limiter.schedule(() => new Promise<string>((resolve) => (answer = () => resolve('answered'))), waiting.signal);
  const rows = Array.from({ length: queued }, () => limiter.schedule(async () => 'sent', waiting.signal).catch(() => 'dropped'));
  while (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
  waiting.abort();
  const stopping = limiter.stop();
  const answered = performance.now();
  answer();
  await stopping;
  const ms = performance.now() - answered;
  await inFlight;
  await Promise.all(rows);
  return Math.round(ms);
}

/** The CLI stopped by SIGINT with thousands of rows queued: ms from the signal to the exit, and the exit code. */
async function cliStopMs(): Promise<{ stopMs: number; code: number | null }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-stop-queue-'));
  const server = await startServe(['--latency', '100ms']);
  try {
    const input = path.join(dir, 'in.csv');
    const lines = ['id,review'];
    for (let i = 0; i < CLI_ROWS; i++) lines.push(`${i},"distinct review number ${i}, it was ${i % 2 ? 'great' : 'awful'}"`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const args = [CLI, 'score', input, '--text-column', 'review', '-o', output, '--progress', 'off', '--rpm', '600', '--concurrency', '2500', '--checkpoint-interval', '500ms'];
    const env = { ...process.env, CLOUDFLARE_ACCOUNT_ID: 'bench', CLOUDFLARE_API_TOKEN: 'bench-token', CLOUDFLARE_BASE_URL: `${server.url}/client/v4` };
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const rowsCheckpointed = (): number => {
      try {
        return (JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { position: { nextIndex: number } }).position.nextIndex;
      } catch {
        return 0;
      }
    };
    while (rowsCheckpointed() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const signalled = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    return { stopMs: Math.round(performance.now() - signalled), code };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const limiter: Record<string, number> = {};
  for (const queued of QUEUED) limiter[`${queued} queued`] = await limiterStopMs(queued);
  const cli = await cliStopMs();
  const figures = { limiterStopMs: limiter, cli: { rows: CLI_ROWS, concurrency: 2500, ...cli }, load: describeLoad() };
  console.log(JSON.stringify(figures));
  return figures;
}
