import { afterAll, afterEach, beforeAll } from 'vitest';
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

/**
 * One project server for the file (or describe block) that calls this, scored by the test scorer: started before its
 * first test, closed after its last, for tests that share it (and set its faults as they go). The answer stands for
 * the running server, so a test file reads `server.setFaults(...)` as with a server it started itself; it may be used
 * in a test or in a hook registered after this call.
 */
export function useFileServer(options: Partial<ServerOptions> = {}): RunningServer {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ scorer: new TestScorer(), ...options });
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  const running = (): RunningServer => {
    if (server === undefined) throw new Error('useFileServer: the server runs from beforeAll to afterAll; use it in a test or a later hook');
    return server;
  };
  return {
    get port() {
      return running().port;
    },
    get url() {
      return running().url;
    },
    get baseURL() {
      return running().baseURL;
    },
    stats: () => running().stats(),
    setFaults: (faults) => running().setFaults(faults),
    faults: () => running().faults(),
    enqueue: (answers) => running().enqueue(answers),
    reset: () => running().reset(),
    close: () => running().close(),
  };
}
