import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// Node's HTTP client parses answers with WebAssembly, and V8 reserves about 10 GiB of address space for each
// WebAssembly memory: under `ulimit -v` (systemd's LimitAS) below that, no request can be made. Before, 4 GB ended
// the run as an internal error with undici's stack (exit 1), and 16 GB (one connection's parser fits, the next does
// not) read as a network error: every row held and retried until --max-error-rate stopped the run, exit 5 "the
// service is failing", after 522 s at load 9 (measured 2026-12-05), though the service was fine.
describe.skipIf(process.platform !== 'linux')('an address-space limit too low for the HTTP client (ulimit -v)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token' });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-level', 'warn'];

  it('under 10 GiB: exit 74 before any request, one line naming ulimit -v, nothing written', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    const r = await runCli(args(input, output), { env: env(), addressSpaceLimit: 4_000_000 });
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code).toBe(74);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^sentiment-batch: Node's HTTP client cannot start: this process may not reserve the address space WebAssembly needs \(.*\): .*ulimit -v/);
    expect(server.stats().total).toBe(0);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('room for one connection only: exit 74 at once, not an outage; the next run without the limit pays no row twice', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    const summary = path.join(dir, 'summary.json');
    writeFileSync(input, syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 }));
    const started = Date.now();
    const r = await runCli([...args(input, output), '--concurrency', '8', '--summary-json', summary], { env: env(), addressSpaceLimit: 16_000_000 });
    expect(r.stderr).not.toMatch(/internal error|service is failing|could not be reached/);
    expect(r.code).toBe(74);
    expect(r.stderr).toMatch(/this process may not reserve the address space WebAssembly needs .*ulimit -v/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const paid = server.stats().total;
    expect(paid).toBeLessThan(200);
    // The attempt the client could not start never left the machine: the summary's requests are those the service
    // got, as for an attempt that could not connect (docs/options.md, --max-requests). It counted one more.
    const figures = JSON.parse(readFileSync(summary, 'utf8')) as { run: { totals: { requests: number } } };
    expect(figures.run.totals.requests).toBe(paid);

    const again = await runCli(args(input, output), { env: env() });
    expect(again.code).toBe(0);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(201);
    expect(server.stats().total).toBe(200);
  }, 60_000);
});
