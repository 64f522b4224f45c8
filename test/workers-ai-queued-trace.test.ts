// A request that waits in undici's pool for a free connection is created later, asynchronously: it must still be
// traced, or a timeout after it was written reads as "no connection made" (never sent, not maybe billed).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { ScoringError } from '../src/errors.js';
import { neverSent } from '../src/job/run-budget.js';
import { createWorkersAiScorer } from '../src/scoring/workers-ai.js';

it('a request queued for a connection and written later counts as sent when its attempt times out', async () => {
  let received = 0;
  const server = createServer((req, res) => {
    received++;
    req.resume();
    // The first request frees its connection with a 500; the others are held, never answered.
    if (received === 1) setTimeout(() => res.writeHead(500).end('{}'), 100);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scorer = createWorkersAiScorer({ accountId: 'a', apiToken: 't', baseUrl: `http://127.0.0.1:${port}/client/v4`, attemptTimeoutMs: 600, connections: 2 });
  try {
    // Three attempts, two connections: the third waits in the pool until the first one's connection is free.
    const failures = await Promise.all(['a', 'b', 'c'].map((text) => scorer.score(text).then(() => undefined, (error: unknown) => error)));
    expect(received).toBe(3);
    const third = failures[2];
    expect(third).toBeInstanceOf(ScoringError);
    expect((third as ScoringError).rowCode).toBe('timeout');
    expect(neverSent(third)).toBe(false);
  } finally {
    await scorer.close();
    server.closeAllConnections();
    server.close();
  }
});
