import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { noProxyWithLoopback, proxyAgent, proxyFor } from '../src/net/proxy-agent.js';
import { startForwardProxy } from './support/forward-proxy.js';

// This file shares its worker process with others: a test that sets proxy variables must leave the environment as it
// found it, the same object (it was replaced by a plain copy, `process.env = saved`, which no longer reaches the
// process's real environment nor turns values into strings) with the same variables.
const ENV = process.env;
let before: Record<string, string | undefined>;
beforeEach(() => {
  before = { ...process.env };
});
afterEach(() => {
  expect(process.env).toBe(ENV);
  expect({ ...process.env }).toEqual(before);
});

describe('NO_PROXY as the HTTP clients read it', () => {
  it('adds this machine\'s loopback names to what the environment says, lower case first as undici reads it', () => {
    expect(noProxyWithLoopback({})).toBe('localhost,127.0.0.1,[::1]');
    expect(noProxyWithLoopback({ NO_PROXY: '.corp.example,10.0.0.1:8080' })).toBe('.corp.example,10.0.0.1:8080,localhost,127.0.0.1,[::1]');
    expect(noProxyWithLoopback({ no_proxy: 'a.example', NO_PROXY: 'b.example' })).toBe('a.example,localhost,127.0.0.1,[::1]');
    expect(noProxyWithLoopback({ NO_PROXY: '  ' })).toBe('localhost,127.0.0.1,[::1]');
  });

  it('keeps "*" (never a proxy) as it is: undici reads it only as the whole value', () => {
    expect(noProxyWithLoopback({ NO_PROXY: '*' })).toBe('*');
    expect(noProxyWithLoopback({ no_proxy: ' * ' })).toBe('*');
  });

  // undici compares each entry with the URL's host as written, '[fd00::5]': a bare IPv6 entry never matched.
  it('gives each bare IPv6 entry in brackets too, as a URL writes it', () => {
    expect(noProxyWithLoopback({ NO_PROXY: 'fd00::5, example.com 2001:db8::1' })).toBe('fd00::5,example.com,2001:db8::1,[fd00::5],[2001:db8::1],localhost,127.0.0.1,[::1]');
  });

  it('sends a request for an IPv6 host named bare in NO_PROXY directly, not to the proxy', async () => {
    const proxy = await startForwardProxy();
    for (const [name, value] of Object.entries({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '2001:db8::1', http_proxy: undefined, https_proxy: undefined, no_proxy: undefined })) vi.stubEnv(name, value);
    try {
      // 2001:db8::/32 is for documentation: directly, the connection fails or times out; it must not reach the proxy.
      const agent = proxyAgent({ connect: { timeout: 300 } });
      await expect(request('http://[2001:db8::1]:9/', { dispatcher: agent })).rejects.toThrow();
      expect(proxy.targets).toEqual([]);
      await agent.close();
    } finally {
      vi.unstubAllEnvs();
      await proxy.close();
    }
  });
});

describe('the proxy a request goes through, for the messages that name it', () => {
  it('picks the variable undici picks, never says the credentials, and none for a host NO_PROXY or loopback names', () => {
    const env = { HTTPS_PROXY: 'http://me:pw@proxy.corp:3128', http_proxy: 'http://plain.corp:80', HTTP_PROXY: 'http://ignored:1' };
    expect(proxyFor('https://api.cloudflare.com', env)).toEqual({ variable: 'HTTPS_PROXY', address: 'http://proxy.corp:3128' });
    expect(proxyFor('http://10.0.0.7:8787', env)).toEqual({ variable: 'http_proxy', address: 'http://plain.corp' });
    // https:// without an HTTPS proxy goes through the HTTP one, as undici does; an empty value is none.
    expect(proxyFor('https://api.cloudflare.com', { https_proxy: '', HTTP_PROXY: 'http://p:8080' })).toEqual({ variable: 'HTTP_PROXY', address: 'http://p:8080' });
    expect(proxyFor('https://api.cloudflare.com', {})).toBeUndefined();
    expect(proxyFor('https://api.cloudflare.com', { ...env, NO_PROXY: '.cloudflare.com' })).toBeUndefined();
    expect(proxyFor('http://10.0.0.7:8787', { ...env, NO_PROXY: '10.0.0.7:8787' })).toBeUndefined();
    expect(proxyFor('http://10.0.0.7:8787', { ...env, NO_PROXY: '10.0.0.7:9999' })).toBeDefined();
    expect(proxyFor('http://127.0.0.1:8787', env)).toBeUndefined();
    expect(proxyFor('http://[fd00::5]:8787', { ...env, NO_PROXY: 'fd00::5' })).toBeUndefined();
    expect(proxyFor('https://x.example', { ...env, NO_PROXY: '*' })).toBeUndefined();
  });
});

describe('a proxy variable the HTTP client cannot use', () => {
  // Before: undici's own TypeError (Invalid URL) or InvalidArgumentError (Invalid URL protocol) with its stack trace,
  // exit 1, for any of these; a socks5:// proxy failed every row as a network error.
  const cases: [Record<string, string>, string][] = [
    [{ HTTPS_PROXY: 'notaurl' }, "HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'notaurl': write http://notaurl (the scheme, http:// or https://, is needed); or unset HTTPS_PROXY to connect directly"],
    [{ HTTP_PROXY: 'proxy.corp:3128' }, "HTTP_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'proxy.corp:3128': write http://proxy.corp:3128 (the scheme"],
    // socks5h:// (curl's remote-DNS spelling): undici builds no agent of it (Invalid URL protocol), unlike socks5://.
    // The schemes taken, all named: socks:// (a SOCKS5 proxy to undici) was taken and left out of the list.
    [{ https_proxy: 'socks5h://127.0.0.2:1080' }, "https_proxy expects a proxy URL such as http://proxy.example.com:3128, got 'socks5h://127.0.0.2:1080': a socks5h proxy is not supported, only an http://, https://, socks5:// or socks:// one; or unset https_proxy to connect directly"],
    [{ HTTPS_PROXY: 'corp:s3cret@proxy.corp:3128' }, "HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'proxy.corp:3128': write http://USER:PASSWORD@proxy.corp:3128 (the scheme"],
    [{ HTTP_PROXY: 'http://corp:s3cret@' }, "HTTP_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'http://': it is not a URL"],
    // A password with a '/' (a base64 token's) does not parse as a URL: it was shown whole.
    [{ HTTPS_PROXY: 'http://corp:Xk9/s3cret+Q@proxy.corp:3128' }, "HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'http://proxy.corp:3128': it is not a URL (a password with '/' or '@' in it must be written %2F and %40)"],
    // A secret query parameter hidden (***) is no password before an '@': no advice on writing one.
    [{ HTTPS_PROXY: 'http://proxy corp:3128/?token=s3cret' }, "HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'http://proxy corp:3128/?token=***': it is not a URL; or unset HTTPS_PROXY to connect directly"],
    [{ HTTPS_PROXY: 'corp:Xk9/s3cret@proxy.corp:3128' }, "HTTPS_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'proxy.corp:3128': write http://USER:PASSWORD@proxy.corp:3128 (the scheme"],
    // A path, a query or a fragment after the proxy's origin: undici's "InvalidArgumentError: invalid url", exit 1.
    [{ HTTP_PROXY: 'http://proxy.corp:3128/proxy' }, "HTTP_PROXY expects a proxy URL such as http://proxy.example.com:3128, got 'http://proxy.corp:3128/proxy': a proxy is named by its scheme, host and port only: remove '/proxy' after http://proxy.corp:3128; or unset HTTP_PROXY to connect directly"],
    [{ https_proxy: 'http://corp:s3cret@proxy.corp:3128/?x=1' }, "remove '?x=1' after http://proxy.corp:3128"],
    [{ HTTPS_PROXY: 'socks5://127.0.0.2:1080/#f' }, "remove '#f' after socks5://127.0.0.2:1080"],
  ];
  for (const [env, message] of cases) {
    it(`refuses ${JSON.stringify(env)} in one line naming the variable, as a configuration error`, () => {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy']) vi.stubEnv(name, env[name]);
      try {
        let thrown: unknown;
        try {
          proxyAgent().close().catch(() => undefined);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ConfigError);
        expect((thrown as Error).message).toContain(message);
        expect((thrown as Error).message).not.toContain('s3cret');
      } finally {
        vi.unstubAllEnvs();
      }
    });
  }

  // undici 7 speaks SOCKS5 (ProxyAgent's Socks5ProxyAgent, for socks5:// and socks://): a run through one scored at exit 0
  // before the proxy check (3 rows against serve, 3 connections through a SOCKS5 server), and was then refused, exit 2.
  for (const value of ['socks5://127.0.0.2:1080', 'socks://127.0.0.2:1080', 'socks5://corp:s3cret@127.0.0.2:1080']) {
    it(`takes ${value}, a SOCKS5 proxy undici speaks`, () => {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy']) vi.stubEnv(name, name === 'HTTPS_PROXY' ? value : undefined);
      try {
        void proxyAgent().close();
      } finally {
        vi.unstubAllEnvs();
      }
    });
  }

  it('takes a proxy URL with credentials, and an empty lower-case variable as none (as undici reads it)', () => {
    for (const [name, value] of Object.entries({ HTTPS_PROXY: 'http://corp:s3cret@proxy.example.com:3128', http_proxy: '', HTTP_PROXY: 'notaurl', https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined })) vi.stubEnv(name, value);
    try {
      const agent = proxyAgent();
      void agent.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
