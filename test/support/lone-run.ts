/**
 * What the end-to-end files that pause, cut or edit a job share (test/e2e-checkpoint-proof, e2e-state-file-types,
 * e2e-open-files): a local server scoring with the TestScorer for the describe block, `rows` synthetic reviews in
 * `in.csv` of the block's temporary folder, and the bytes a lone, uninterrupted run of them writes, which every job
 * the tests interrupt must end with. Each file had its own copy of this set-up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { runCli, tempDir } from './cli.js';
import { syntheticCsv } from './reviews.js';
import { TestScorer } from './test-scorer.js';
import { workersAiEnv } from './workers-ai-env.js';

export interface LoneRunFixture {
  /** The block's temporary folder: made at once, so its paths are known while the tests are collected. */
  readonly dir: string;
  /** `<dir>/in.csv`, written before the block's tests. */
  readonly input: string;
  /** The server of the describe block (inside a test or a later hook). */
  readonly server: RunningServer;
  /** The lone run's output (`<dir>/lone.csv`), byte for byte (inside a test or a later hook). */
  readonly reference: Buffer;
  /** The environment a CLI run needs to score against the block's server (its token, when it asks for one). */
  env(): ReturnType<typeof workersAiEnv>;
  /** `score` of the input to `output` with the fixture's `flags`, then `more`. */
  args(output: string, ...more: string[]): string[];
}

/**
 * Starts the server, writes the input and runs it alone (exit 0) before the describe block's tests, ends the server
 * and removes the folder after them: call it inside the block, before the hooks that use it. `flags`: the `score` flags
 * after `-o <output>` that every run of the block, the lone one included, is given.
 */
export function loneRunFixture(options: { rows: number; flags: readonly string[]; server?: Partial<ServerOptions> }): LoneRunFixture {
  const { dir, cleanup } = tempDir();
  const input = path.join(dir, 'in.csv');
  let started: { server: RunningServer; reference: Buffer } | undefined;
  let server: RunningServer | undefined;
  const args = (output: string, ...more: string[]): string[] => ['score', input, '--text-column', 'review', '-o', output, ...options.flags, ...more];
  const env = (): ReturnType<typeof workersAiEnv> => {
    if (server === undefined) throw new Error('the lone run fixture is not started: call loneRunFixture() inside a describe block');
    return workersAiEnv(server, { token: options.server?.token });
  };

  beforeAll(async () => {
    server = await startServer({ scorer: new TestScorer(), ...options.server });
    writeFileSync(input, syntheticCsv(options.rows));
    const lone = path.join(dir, 'lone.csv');
    expect((await runCli(args(lone), { env: env() })).code).toBe(0);
    started = { server, reference: readFileSync(lone) };
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  const state = () => {
    if (!started) throw new Error('the lone run fixture is not started: call loneRunFixture() inside a describe block');
    return started;
  };
  return {
    dir,
    input,
    get server() {
      return state().server;
    },
    get reference() {
      return state().reference;
    },
    env,
    args,
  };
}
