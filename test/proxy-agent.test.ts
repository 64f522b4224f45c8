import { describe, expect, it } from 'vitest';
import { noProxyWithLoopback } from '../src/net/proxy-agent.js';

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
});
