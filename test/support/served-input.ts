import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { tempDir } from './cli.js';
import { TestScorer } from './test-scorer.js';
import { workersAiEnv } from './workers-ai-env.js';

/** What useServedInput sets up; its fields are there from the suite's beforeAll on (read them in hooks and tests). */
export interface ServedInput {
  /** The input file, in the suite's temporary folder. */
  readonly input: string;
  readonly server: RunningServer;
  /** A path in the suite's temporary folder. */
  path(name: string): string;
  /** The environment a CLI run needs to score against the server (workers-ai-env.ts). */
  env(): ReturnType<typeof workersAiEnv>;
}

/**
 * For an end-to-end suite that scores one export again and again (killed, resumed, switched): a temporary folder
 * holding the input `name`, and the project's server scoring with the test scorer (`server` adds latency, a seed,
 * faults), both for the whole suite and removed after it. A beforeAll the suite registers after this call runs
 * after them, with the server up.
 */
export function useServedInput(name: string, content: () => string, server: Omit<ServerOptions, 'scorer'> = {}): ServedInput {
  let dir: string | undefined;
  let cleanup = (): void => undefined;
  let running: RunningServer | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useServedInput: read its fields in hooks and tests, after its beforeAll');
    return value;
  };
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    running = await startServer({ ...server, scorer: new TestScorer() });
    writeFileSync(path.join(dir, name), content());
  });
  afterAll(async () => {
    await running?.close();
    cleanup();
  });
  return {
    get input() {
      return path.join(ready(dir), name);
    },
    get server() {
      return ready(running);
    },
    path: (file) => path.join(ready(dir), file),
    env: () => workersAiEnv(ready(running)),
  };
}
