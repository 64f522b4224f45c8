import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
