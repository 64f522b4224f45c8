import { afterEach } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { TestScorer } from './test-scorer.js';

/**
 * A project server per test, scored by the test scorer, closed after each
 * test. Call once at the top of a test file; `start` takes any ServerOptions.
 */
export function useTestServer(): { start(options?: Partial<ServerOptions>): Promise<RunningServer> } {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    async start(options = {}) {
      server = await startServer({ scorer: new TestScorer(), ...options });
      return server;
    },
  };
}
