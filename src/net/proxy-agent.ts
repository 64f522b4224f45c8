import { isIP } from 'node:net';
import { EnvHttpProxyAgent } from 'undici';

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
  return new EnvHttpProxyAgent({ ...options, noProxy: noProxyWithLoopback() });
}
