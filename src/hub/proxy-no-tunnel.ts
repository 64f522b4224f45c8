import { STATUS_CODES } from 'node:http';
import { DEFAULT_ENDPOINT } from './hub-env.js';

/**
 * A proxy (HTTPS_PROXY / HTTP_PROXY) that answered the tunnel asked of it with a server error: 502 Bad Gateway, or 503
 * and 504 (squid's answers to a host it cannot resolve or connect to). The proxy was reached; it could not reach the
 * host. `model pull` said it in undici's words, 'cannot reach https://huggingface.co through the proxy … (Proxy response
 * (502) !== 200 when HTTP Tunneling); check the network, HTTPS_PROXY or HF_ENDPOINT'. What to check depends on the host:
 * HF_ENDPOINT's mirror, the Hub itself, or the storage host the Hub's redirect named (the Hub had answered).
 */
export function proxyGatewayWords(
  detail: string,
  proxy: { address: string; variable: string },
  origin: string,
  r: { endpoint: string; file: string },
): string | undefined {
  const status = Number(/^Proxy response \((5\d\d)\)/.exec(detail)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const hub = new URL(r.endpoint).origin;
  const answered = `the proxy ${proxy.address} (from ${proxy.variable}) answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  const asked = `${answered} when asked to connect to ${origin}`;
  const noNearer = 'or name the host in NO_PROXY to reach it directly';
  if (origin !== hub) {
    return (
      `${asked}, where the Hub ${hub} sent ${r.file}: the Hub answered, and the proxy could not reach its storage host: ` +
      `it may be down (run the same command again later), or the proxy does not reach it (ask for it to be allowed, ${noNearer})`
    );
  }
  if (r.endpoint === DEFAULT_ENDPOINT) {
    return `${asked}: it could not reach that host; the Hub may be down (run the same command again later), or the proxy does not reach it (ask for it to be allowed, ${noNearer})`;
  }
  return (
    `${asked}: it could not reach that host; check that HF_ENDPOINT (${r.endpoint}) names a Hub mirror that is up and that the proxy can reach it (${noNearer}), ` +
    'then run the same command again'
  );
}
