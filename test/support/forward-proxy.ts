/**
 * A minimal HTTP forward proxy on 127.0.0.1 for tests: CONNECT tunnels and
 * absolute-form requests, each counted, so a test can tell that a client
 * really went through HTTP(S)_PROXY. A client never sends this machine's own
 * addresses to a proxy (src/net/proxy-agent.ts), so tests name their servers
 * `<anything>.proxied.test`, which only this proxy knows: it connects them to 127.0.0.1.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface ForwardProxy {
  url: string;
  /** Targets seen, as host:port: those a test can name (isTestHost); others are refused and not counted. */
  targets: string[];
  close(): Promise<void>;
}

/** The domain this proxy connects to 127.0.0.1 (`.test` is reserved: no resolver knows it). */
export const PROXIED_DOMAIN = 'proxied.test';

/**
 * The hosts tests send through this proxy, or must not: `*.proxied.test`, this machine, documentation
 * addresses (192.0.2.0/24, 2001:db8::/32). Another program on a shared machine may find the proxy's port
 * while it listens (seen: a CONNECT to mobile.events.data.microsoft.com:443 in the middle of a test that
 * asserted no target at all); it is refused and not counted as the test's.
 */
function isTestHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === PROXIED_DOMAIN || host.endsWith(`.${PROXIED_DOMAIN}`) || host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('192.0.2.') || host.startsWith('2001:db8:');
}

/** The address to connect to for `host`. */
function resolved(host: string): string {
  return host === PROXIED_DOMAIN || host.endsWith(`.${PROXIED_DOMAIN}`) ? '127.0.0.1' : host;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '');
    if (!isTestHost(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    targets.push(target.host);
    const upstream = http.request({ host: resolved(target.hostname), port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const host = (req.url ?? '').replace(/:\d+$/, '');
    if (!isTestHost(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    targets.push(req.url ?? '');
    const port = (req.url ?? '').slice(host.length + 1);
    let established = false;
    const upstream = net.connect(Number(port), resolved(host), () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    // A target the proxy cannot connect to is answered 502, as proxies answer it (squid, nginx): left unanswered, the
    // client waited for the tunnel until its own time-out.
    upstream.on('error', () => {
      if (!established) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
