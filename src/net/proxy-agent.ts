import { EnvHttpProxyAgent } from 'undici';

/**
 * HTTP clients that go through HTTP(S)_PROXY when set, as curl and npm do, with
 * NO_PROXY honoured, and that never send this machine's own addresses to a proxy:
 * the proxy would reach its own localhost, not ours. A shell behind a corporate
 * proxy with no NO_PROXY (the usual case) could otherwise not talk to a local
 * `serve`, a model hub mirror on this machine, or the test suite's servers.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** NO_PROXY as `env` says it (lower case first, as undici reads it), plus this machine's loopback names. */
export function noProxyWithLoopback(env: NodeJS.ProcessEnv = process.env): string {
  const given = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').trim();
  // undici reads "*" (no proxy at all) only as the whole value.
  if (given === '*') return given;
  return [given, ...LOOPBACK].filter((entry) => entry !== '').join(',');
}

export function proxyAgent(options: ConstructorParameters<typeof EnvHttpProxyAgent>[0] = {}): EnvHttpProxyAgent {
  return new EnvHttpProxyAgent({ ...options, noProxy: noProxyWithLoopback() });
}
