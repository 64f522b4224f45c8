// A proxy (HTTPS_PROXY) that accepts the TCP connection and never answers CONNECT: the run keeps to --timeout and
// to SIGTERM. Before, undici did not end a request whose connection was still being made: a `--timeout 2s
// --max-attempts 1` run of 1 row ended after the proxy client's 300 s headers timeout, SIGTERM at 120 s ignored.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli, tempDir, waitWhileRunning } from './support/cli.js';

describe('score through a proxy that never answers CONNECT', () => {
  let dir: string;
  let cleanup: () => void;
  let proxy: net.Server;
  let connects = 0;
  const held: net.Socket[] = [];
  let env: Record<string, string>;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    connects = 0;
    proxy = net.createServer((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => {
        if (chunk.toString('latin1').startsWith('CONNECT ')) connects++;
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    env = {
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      NO_PROXY: '',
      CLOUDFLARE_BASE_URL: 'https://workers-ai.example.test/client/v4',
      CLOUDFLARE_ACCOUNT_ID: 'dev',
      CLOUDFLARE_API_TOKEN: 'dev-token-123456',
    };
    writeFileSync(path.join(dir, 'one.csv'), 'text\nI love it\n');
  });
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    cleanup();
  });

  it('--timeout ends the attempt, counted as never sent: the proxy named as not reached', async () => {
    const started = Date.now();
    const child = spawnCli(['score', path.join(dir, 'one.csv'), '-o', path.join(dir, 'out.csv'), '--timeout', '2s', '--max-attempts', '1', '--log-level', 'warn'], { env });
    const result = await child.result;
    const seconds = (Date.now() - started) / 1000;
    // Measured 2.6-3.4 s; before, 304 s. A bound against a hang, not a speed check.
    expect(seconds, result.stderr).toBeLessThan(40);
    expect(connects).toBe(1);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain('failed by code: network 1');
    expect(result.stdout).toContain('requests sent 0 (answered 0');
    expect(result.stdout).toContain('UND_ERR_CONNECT_TIMEOUT: no connection made within 2000 ms (the per-attempt timeout)');
    expect(result.stdout).not.toContain('may have run unanswered');
  }, 60_000);

  it('SIGTERM ends the run after --grace, the request cut off counted as never sent', async () => {
    const child = spawnCli(['score', path.join(dir, 'one.csv'), '-o', path.join(dir, 'out.csv'), '--timeout', '60s', '--max-attempts', '1', '--grace', '1s', '--log-level', 'warn'], { env });
    await waitWhileRunning(child, () => connects > 0, 'the CONNECT');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const result = await child.result;
    const seconds = (Date.now() - signalled) / 1000;
    // Measured ~1.5 s after the signal with --grace 1s; before, the run went on to the proxy client's 300 s.
    expect(seconds, result.stderr).toBeLessThan(30);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('stopped by SIGTERM; the checkpoint is saved');
    expect(result.stdout).toContain('requests sent 0 (answered 0');
    expect(result.stdout).not.toContain('may have run unanswered');
  }, 60_000);
});
