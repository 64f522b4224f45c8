/**
 * What the --limit job tests share (test/e2e-limit-*.test.ts): a local server scoring with the TestScorer for the
 * describe block, the 300-row `yesterday` input, the environment to reach the server, the `score` command line they
 * vary, and the messages of a JSON log. Each file had its own copy of this set-up.
 */
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { logLines, tempDir } from './cli.js';
import { writeYesterdayAndToday } from './reviews.js';
import { TestScorer } from './test-scorer.js';
import { workersAiEnv } from './workers-ai-env.js';

export interface LimitJobFixture {
  /** The server of the describe block (inside a test). */
  readonly server: RunningServer;
  /** A fresh output path in the block's temporary folder: `<prefix>-<n>.csv`, n counted across the block. */
  output(prefix: string): string;
  /** The environment a CLI run needs to score against the block's server. */
  env(): ReturnType<typeof workersAiEnv>;
  /** `score` of the input to `output` at --rpm 60000 with a JSON log, then `more`. */
  score(output: string, ...more: string[]): string[];
  /** The `msg` of each line of a JSON log. */
  messages(stderr: string): string[];
}

/** Starts the server and writes the input before the describe block's tests, ends both after them: call it inside the block. */
export function limitJobFixture(): LimitJobFixture {
  let started: { dir: string; cleanup: () => void; server: RunningServer; input: string } | undefined;
  let run = 0;

  beforeAll(async () => {
    const { dir, cleanup } = tempDir();
    const server = await startServer({ scorer: new TestScorer() });
    const { yesterday: input } = writeYesterdayAndToday(dir);
    started = { dir, cleanup, server, input };
  });
  afterAll(async () => {
    await started?.server.close();
    started?.cleanup();
  });

  const state = () => {
    if (!started) throw new Error('the limit job fixture is not started: call limitJobFixture() inside a describe block');
    return started;
  };
  return {
    get server() {
      return state().server;
    },
    output: (prefix) => path.join(state().dir, `${prefix}-${++run}.csv`),
    env: () => workersAiEnv(state().server),
    score: (output, ...more) => ['score', state().input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', ...more],
    messages: (stderr) => logLines(stderr).map((line) => String(line['msg'])),
  };
}
