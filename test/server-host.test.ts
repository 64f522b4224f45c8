import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../src/errors.js';
import { startServer } from '../src/server/index.js';
import { TestScorer } from './support/test-scorer.js';

describe('serve --host', () => {
  it('a host name that does not resolve is a usage error naming it, not an internal error', async () => {
    const refused = await startServer({ scorer: new TestScorer(), host: 'nosuchhost.invalid', port: 0 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).exitCode).toBe(ExitCode.Usage);
    expect((refused as Error).message).toMatch(/^--host nosuchhost\.invalid cannot be resolved to an address \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)/);
  });

  const ipv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.family === 'IPv6' && a.internal));
  // The URL of a server on ::, all interfaces of both families, was http://127.0.0.1:PORT: none where IPv6 sockets take no IPv4 (bindv6only).
  it.skipIf(!ipv6Loopback)('--host :: gives a URL on IPv6 loopback ([::1]) that answers; 0.0.0.0 one on 127.0.0.1', async () => {
    for (const [host, expected] of [['::', /^http:\/\/\[::1\]:\d+$/], ['0.0.0.0', /^http:\/\/127\.0\.0\.1:\d+$/]] as const) {
      const server = await startServer({ scorer: new TestScorer(), host, port: 0 });
      try {
        expect(server.url).toMatch(expected);
        expect((await fetch(`${server.url}/__stats`)).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});
