import { isIP } from 'node:net';
import { EnvHttpProxyAgent } from 'undici';
import { checkProxyEnvironment } from './proxy-env.js';

/**
 * HTTP clients that go through HTTP(S)_PROXY when set, as curl and npm do, with
 * NO_PROXY honoured, and that never send this machine's own addresses to a proxy:
 * the proxy would reach its own localhost, not ours. A shell behind a corporate
 * proxy with no NO_PROXY (the usual case) could otherwise not talk to a local
 * `serve`, a model hub mirror on this machine, or the test suite's servers.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * NO_PROXY as `env` says it (lower case first, as undici reads it), plus this machine's loopback names. undici
 * compares each entry with the URL's host as written, and a URL writes an IPv6 address in brackets
 * (http://[fd00::5]:8787), so a bare entry (NO_PROXY=fd00::5, the form curl and most tools take) never matched:
 * each one is also given in brackets.
 */
export function noProxyWithLoopback(env: NodeJS.ProcessEnv = process.env): string {
  const given = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').trim();
  // undici reads "*" (no proxy at all) only as the whole value.
  if (given === '*') return given;
  const entries = given.split(/[,\s]+/).filter((entry) => entry !== '');
  const bracketed = entries.filter((entry) => isIP(entry) === 6).map((entry) => `[${entry}]`);
  return [...entries, ...bracketed, ...LOOPBACK].join(',');
}

export function proxyAgent(options: ConstructorParameters<typeof EnvHttpProxyAgent>[0] = {}): EnvHttpProxyAgent {
  checkProxyEnvironment();
  return new EnvHttpProxyAgent({ ...options, noProxy: noProxyWithLoopback() });
}

/** The proxy a request to `target` goes through, as undici's EnvHttpProxyAgent picks it, and the variable that set it. */
export interface ProxyInUse {
  /** The environment variable as it is spelled there: `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY` or `http_proxy`. */
  variable: string;
  /** The proxy's scheme, host and port: never its credentials. */
  address: string;
}

/**
 * The proxy requests to `target` go through (proxyAgent), or undefined when none does: https:// URLs take
 * https_proxy / HTTPS_PROXY, else http_proxy / HTTP_PROXY, as undici does (lower case first, an empty value is none),
 * unless NO_PROXY (with this machine's loopback names, noProxyWithLoopback) names the host. So a failure to connect can
 * be said to be the proxy's, and where it was set: a user may not know the variable is set at all.
 */
export function proxyFor(target: string | URL, env: NodeJS.ProcessEnv = process.env): ProxyInUse | undefined {
  const url = new URL(target);
  const pick = (lower: string, upper: string) => {
    const variable = env[lower] !== undefined ? lower : upper;
    const value = env[variable];
    return value ? { variable, value } : undefined;
  };
  const chosen = (url.protocol === 'https:' ? pick('https_proxy', 'HTTPS_PROXY') : undefined) ?? pick('http_proxy', 'HTTP_PROXY');
  if (!chosen || bypassed(url, noProxyWithLoopback(env))) return undefined;
  let address = chosen.value;
  try {
    const proxy = new URL(chosen.value);
    address = `${proxy.protocol}//${proxy.host}`;
  } catch {
    // undici refuses such a value itself; say it as given, without what may be credentials.
    address = chosen.value.replace(/^[^@/]*@/, '');
  }
  return { variable: chosen.variable, address };
}

/** Whether NO_PROXY (`noProxy`) names the URL's host, matched as undici's EnvHttpProxyAgent matches it. */
function bypassed(url: URL, noProxy: string): boolean {
  if (noProxy === '*') return true;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || (url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : 0);
  return noProxy.split(/[,\s]/).some((entry) => {
    if (!entry) return false;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? parsed[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number.parseInt(parsed[2]!, 10) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}
