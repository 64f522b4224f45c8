import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/server/index.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { PROXIED_DOMAIN } from './support/forward-proxy.js';
import { TestScorer } from './support/test-scorer.js';

/**
 * Requests stopped before a byte of them was written: an https:// base URL on a plain-HTTP server (`serve`), a TLS
 * handshake that fails, a proxy that refuses the tunnel (407). They counted as sent and maybe billed, and so did a request
 * in flight that the fatal stop cut off in its own handshake: `score fixtures/reviews.csv` against `serve` at https://
 * said `requests sent 2`, `sent with retries 31`, `up to 0.074 more` neurons (summary and checkpoint, 6 runs of 6) for
 * a run that sent the service nothing.
 */
interface Figures {
  totals: { requests: number; tokens: number; neurons: number };
}

const CREDENTIALS = { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token' };

/**
 * The first connection (or tunnel) is answered this late, so that it is in flight (its handshake, or its CONNECT, not
 * done) when the second one's answer stops the run. undici settles a request aborted before its connection is made only
 * once the connection attempt ends: held for good, a TLS handshake kept the run 10 s (undici's connect timeout) and a
 * CONNECT kept it past the test's timeout.
 */
const HELD_MS = 400;

/** A TCP server that answers each connection's first bytes with `answer` and closes it, the first one HELD_MS late. */
async function rawServer(answer: string): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => {
      if (++connections === 1) setTimeout(() => socket.end(answer), HELD_MS);
      else socket.end(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('a request that never left', () => {
  const { file, path: inDir } = useTempDir();
  const input = () => file('in.csv', 'id,text\n1,great product\n2,awful support\n3,fine I guess\n4,love it\n');

  const score = async (name: string, env: Record<string, string>, extra: string[] = []) => {
    const output = inDir(`${name}.csv`);
    const r = await runCli(['score', input(), '-o', output, '--summary-json', inDir(`${name}.json`), ...extra], { env: { ...CREDENTIALS, ...env } });
    const summary = JSON.parse(readFileSync(inDir(`${name}.json`), 'utf8')) as Figures;
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Figures;
    return { ...r, summary, checkpoint };
  };

  it('an https:// base URL on a plain-HTTP server sends nothing and counts nothing', async () => {
    const server = await startServer({ scorer: new TestScorer() });
    try {
      const r = await score('scheme', { CLOUDFLARE_BASE_URL: server.baseURL.replace(/^http:/, 'https:') }, ['--concurrency', '1']);
      expect(r.code).toBe(4);
      expect(r.stdout).toContain('does not answer in TLS');
      expect(server.stats().total).toBe(0);
      expect(r.stdout).toContain('requests sent 0 (answered 0');
      expect(r.stdout).toContain('sent with retries 0');
      expect(r.stdout).not.toContain('may have run unanswered');
      expect(r.summary.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
      expect(r.checkpoint.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
    } finally {
      await server.close();
    }
  });

  it('nor does a request the TLS stop cut off in its own handshake', async () => {
    // Both are answered in plain HTTP (no TLS), the first late: the second's failure stops the run (tls) and cuts it off.
    const server = await rawServer('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    try {
      const r = await score('cut-tls', { CLOUDFLARE_BASE_URL: `https://127.0.0.1:${server.port}/client/v4` }, ['--concurrency', '2']);
      expect(r.code).toBe(4);
      expect(r.stdout).toContain('does not answer in TLS');
      expect(server.connections()).toBe(2);
      expect(r.summary.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
      expect(r.checkpoint.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
    } finally {
      server.close();
    }
  });

  it('nor does a request the proxy would not tunnel (407), nor one cut off waiting for its tunnel', async () => {
    let tunnels = 0;
    const proxy = http.createServer((_req, res) => res.writeHead(407).end());
    proxy.on('connect', (_req, socket: net.Socket) => {
      socket.on('error', () => {});
      const refuse = () => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      // Every tunnel is refused, the first late: the second's refusal stops the run and cuts the first off.
      if (++tunnels === 1) setTimeout(refuse, HELD_MS);
      else refuse();
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      // A name only a proxy could reach: this machine's own addresses are never sent to one.
      const env = { CLOUDFLARE_BASE_URL: `https://workers-ai.${PROXIED_DOMAIN}/client/v4`, HTTPS_PROXY: url, HTTP_PROXY: url, NO_PROXY: '' };
      const r = await score('proxy', env, ['--concurrency', '2']);
      expect(r.code).toBe(4);
      expect(r.stdout).toContain('asks for credentials (407)');
      expect(tunnels).toBe(2);
      expect(r.stdout).toContain('requests sent 0 (answered 0');
      expect(r.summary.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
      expect(r.checkpoint.totals).toMatchObject({ requests: 0, tokens: 0, neurons: 0 });
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});
