// Workers AI requests go through HTTP(S)_PROXY as `model pull`'s do (NO_PROXY honoured).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { PROXIED_DOMAIN, startForwardProxy, type ForwardProxy } from './support/forward-proxy.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const TOKEN = 'sekrit-Token-1234567890abcdef';

describe('score with Workers AI behind a proxy', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let proxy: ForwardProxy;
  /** The test server's URL under a host name only the test proxy knows (test/support/forward-proxy.ts). */
  const proxiedBaseURL = () => {
    const named = new URL(server.baseURL);
    named.hostname = `workers-ai.${PROXIED_DOMAIN}`;
    return named.href;
  };
  const env = (extra: Record<string, string>) => ({ ...workersAiEnv(server, { account: 'acct123', token: TOKEN }), ...extra });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), token: TOKEN });
    proxy = await startForwardProxy();
  });
  afterEach(async () => {
    await proxy.close();
    await server.close();
    cleanup();
  });

  // Before, the client connected directly whatever the environment said: on a network whose only way out is a
  // proxy, every row failed and the run ended "the service could not be reached … check that it is up and the base URL".
  it('sends every request through HTTP_PROXY; none to a service on this machine, NO_PROXY or not', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = (output: string) => ['score', input, '--text-column', 'review', '-o', path.join(dir, output), '--rpm', '100000', '--log-level', 'warn'];
    // A host name only the proxy can reach (test/support/forward-proxy.ts): a direct request could not.
    const named = new URL(proxiedBaseURL());
    const proxied = await runCli(args('a.csv'), { env: env({ CLOUDFLARE_BASE_URL: named.href, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }) });
    expect(proxied.code).toBe(0);
    expect(proxied.stdout).toContain('rows 20: scored 20');
    // undici tunnels (CONNECT) even to an http:// origin: one target per connection, each to the server.
    expect(proxy.targets.length).toBeGreaterThan(0);
    expect(proxy.targets.every((target) => target === named.host)).toBe(true);
    // Plain http:// to another machine: the token crossed the network unencrypted with no word. Said once, at start-up.
    const unencrypted = `the base URL http://${named.host} is plain http:// to a host other than localhost: the API token crosses the network unencrypted with every request; use https://`;
    expect(proxied.stderr.split(unencrypted).length - 1, proxied.stderr).toBe(1);

    // `serve` on 127.0.0.1 with a proxy set and no NO_PROXY (a shell behind a corporate proxy): direct, as the
    // proxy would reach its own localhost. Before, every request went to the proxy.
    for (const noProxy of ['', 'example.com']) {
      proxy.targets.length = 0;
      const direct = await runCli(args(`b${noProxy}.csv`), { env: env({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }) });
      expect(direct.code).toBe(0);
      expect(proxy.targets).toEqual([]);
      expect(direct.stderr).not.toContain('plain http://');
    }
  });

  // Before: a proxy that wants credentials (407) was a network error retried 6 times a row, 42 s for 20 rows, then
  // exit 5 'the service is failing: run the same command again once it answers', which never helps.
  it('a proxy asking for credentials (407) stops the run at once, exit 4, saying to put them in the proxy URL', async () => {
    let tunnels = 0;
    const asking = http.createServer((_req, res) => res.writeHead(407).end());
    asking.on('connect', (_req, socket: import('node:net').Socket) => {
      tunnels++;
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => asking.listen(0, '127.0.0.1', resolve));
    try {
      const input = path.join(dir, 'in.csv');
      writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
      const url = `http://127.0.0.1:${(asking.address() as AddressInfo).port}`;
      const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--rpm', '100000', '--log-level', 'warn'], {
        // A name only a proxy could reach: the service on this machine itself is never asked through a proxy.
        env: env({ CLOUDFLARE_BASE_URL: proxiedBaseURL(), HTTP_PROXY: url, HTTPS_PROXY: url, NO_PROXY: '' }),
      });
      expect(run.code).toBe(4);
      expect(run.stderr + run.stdout).toContain('asks for credentials (407): give them in the proxy URL, HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT');
      expect(tunnels).toBeLessThan(20);
    } finally {
      asking.closeAllConnections();
      await new Promise((resolve) => asking.close(resolve));
    }
  });

  // Before: '20 of 20 rows sent to the model failed …; the output is complete: the service is failing: run the same
  // command again once it answers', though the proxy answered every CONNECT 502 and not one request reached the service.
  it('a proxy that opens no tunnel (502 to every CONNECT) is named, with the variable, and said to have sent the service nothing', async () => {
    const gateway = http.createServer((_req, res) => res.writeHead(502).end());
    gateway.on('connect', (_req, socket: import('node:net').Socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const input = path.join(dir, 'in.csv');
      writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
      const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'gateway.csv'), '--max-attempts', '1', '--rpm', '100000', '--log-level', 'warn'], {
        env: env({ CLOUDFLARE_BASE_URL: proxiedBaseURL(), HTTP_PROXY: url, NO_PROXY: '' }),
      });
      expect(run.code).toBe(5);
      expect(run.stdout).toContain(`the proxy ${url} (from HTTP_PROXY) opened no tunnel to the service: the last 20 rows sent were answered 502 by the proxy, and none reached the service`);
      expect(run.stdout).toContain("check that the proxy can reach the base URL's host (or name the host in NO_PROXY to reach it directly), then run the same command again");
      expect(run.stdout).not.toContain('the service is failing');
      expect(server.stats().total).toBe(0);
    } finally {
      gateway.closeAllConnections();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  // Before: 'the service could not be reached: … (Network error talking to http://… (connect ECONNREFUSED 127.0.0.1:PORT) …);
  // check that it is up and the base URL', the proxy's address with no word that it was a proxy, nor from which variable.
  it('a proxy that is down (connection refused) is named as the proxy, with the variable that set it', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'down.csv'), '--max-attempts', '1', '--rpm', '100000', '--log-level', 'warn'], {
      env: env({ CLOUDFLARE_BASE_URL: proxiedBaseURL(), HTTP_PROXY: `http://corp:s3cret@127.0.0.1:${port}`, NO_PROXY: '' }),
    });
    expect(run.code).toBe(5);
    expect(run.stdout).toContain(`the proxy http://127.0.0.1:${port} (from HTTP_PROXY) could not be reached: the last 20 rows sent failed without a connection`);
    expect(run.stdout).toContain(`through the proxy http://127.0.0.1:${port} (set by HTTP_PROXY) (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(run.stdout).toContain('check that the proxy is up and that HTTP_PROXY names the right one (or name the host in NO_PROXY to reach it directly)');
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  });
  // Before: 'internal error (a bug, please report it): TypeError: Invalid URL' and undici's stack, exit 1.
  it('a proxy variable that is no proxy URL is exit 2, one line naming it, before any request', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(5, { duplicateEvery: 0, emptyEvery: 0 }));
    const run = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'bad-proxy.csv')], {
      env: env({ HTTPS_PROXY: 'notaurl', HTTP_PROXY: '', NO_PROXY: '*' }),
    });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain("HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'notaurl': write http://notaurl");
    expect(run.stdout + run.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
    expect(server.stats().total).toBe(0);
  });
});
