/**
 * What cutting a run costs: a 1,200-row job against `serve` (answers in
 * 80-250 ms) cut by kill -9, by SIGTERM and by a `--max-requests` pause, then
 * finished, against the same job run alone. Read from the server's request
 * count: the extra requests the cuts cost (aim ≤ 3 %), and whether the output
 * is byte-identical. Also the time from SIGTERM to exit with requests in flight.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runNode, startServe } from './support.js';

const ROWS = 1200;

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-paid-'));
  const server = await startServe(['--latency', '80-250ms', '--seed', '4']);
  const env = { ...process.env, CLOUDFLARE_ACCOUNT_ID: 'bench', CLOUDFLARE_API_TOKEN: 'bench-token', CLOUDFLARE_BASE_URL: `${server.url}/client/v4` };
  const total = async (): Promise<number> => ((await (await fetch(`${server.url}/__stats`)).json()) as { total: number }).total;
  const reset = () => fetch(`${server.url}/__reset`, { method: 'POST' });
  try {
    const input = path.join(dir, 'in.csv');
    const lines = ['id,review'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},"review number ${i}: it was ${i % 3 ? 'great' : 'awful'}"`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const args = (output: string) => [CLI, 'score', input, '--text-column', 'review', '-o', output, '--rpm', '6000', '--checkpoint-interval', '500ms', '--progress', 'off', '--log-level', 'warn'];

    await reset();
    const lone = path.join(dir, 'lone.csv');
    await runNode(args(lone), env);
    const loneRequests = await total();

    await reset();
    const cut = path.join(dir, 'cut.csv');
    await cutAt(args(cut), env, cut, 200, 'SIGKILL');
    const sigterm = await cutAt(args(cut), env, cut, 500, 'SIGTERM');
    const paused = await runNode([...args(cut), '--max-requests', '150'], env);
    const finished = await runNode(args(cut), env);
    const cutRequests = await total();
    const identical = readFileSync(cut).equals(readFileSync(lone));
    const extra = cutRequests / loneRequests - 1;
    console.log(
      `${ROWS} rows: alone ${loneRequests} requests; cut by kill -9, SIGTERM (exit ${sigterm.code} ${sigterm.seconds.toFixed(2)} s after the signal) and --max-requests 150 (exit ${paused.code}), then finished (exit ${finished.code}): ${cutRequests} requests = ${(extra * 100).toFixed(2)} % more (aim ≤ 3 %); output ${identical ? 'byte-identical' : 'DIFFERENT'}`,
    );
    return { rows: ROWS, loneRequests, cutRequests, extraShare: Number(extra.toFixed(4)), identical, sigtermExitSeconds: Number(sigterm.seconds.toFixed(2)) };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the job and sends `signal` once its checkpoint has passed `rows` rows. */
async function cutAt(args: string[], env: NodeJS.ProcessEnv, output: string, rows: number, signal: NodeJS.Signals): Promise<{ code: number | null; seconds: number }> {
  const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 6000 && checkpointed(output) < rows; i++) await new Promise((r) => setTimeout(r, 10));
  const sent = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, seconds: (Date.now() - sent) / 1000 };
}

function checkpointed(output: string): number {
  try {
    return (JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { position: { nextIndex: number } }).position.nextIndex;
  } catch {
    return -1;
  }
}
