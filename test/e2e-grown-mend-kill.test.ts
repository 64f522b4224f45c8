import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { syntheticGrownReference } from './support/grown-reference.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A completed job whose rerun mends its failed rows, killed (kill -9) while the mend replaces the output (the checkpoint
 * records `mending`), then its export grown by rows appended (the nightly export). It was started over: "the job cannot
 * be continued: its checkpoint records a mend … not finished", every row paid again. The mend is finished now as for the
 * same input (finish-mend.ts), and the grown export continued: only the rows appended are sent, and the output is a
 * fresh run's of the grown file. Killed again at each step of that finish, the next run does the same. The kills land
 * at exact steps through test/support/kill-at-rename.mjs, as in e2e-mend-kill-switch.test.ts.
 */
const ROWS = 200;
const GROWN = 260;

describe('a mend killed while it replaces the output, then the export grown', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let fresh: Buffer;
  let newRequests: number;
  const env = (extra: Record<string, string> = {}) => ({ ...workersAiEnv(server, { token: 'token' }), ...extra });
  const killAt = (file: string, when: 'before' | 'after') => env(killAtRename(file, { when }));
  const args = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', ...more];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 21 });
    ({ fresh, appendedRequests: newRequests } = await syntheticGrownReference(server, (from, to) => runCli(args(from, to), { env: env() }), dir, ROWS, GROWN));
    expect(newRequests).toBeGreaterThan(30);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  function writeInput(file: string, rows: number): string {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, syntheticCsv(rows));
    return file;
  }

  /**
   * An outage run of the old export in a case's own folder (35 % of answers 500, no retry), its rerun's mend killed at
   * the rename onto `target(output)` (the checkpoint records `mending`); then the export grown.
   */
  async function killedMendThenGrown(name: string, target: (output: string) => string, ...more: string[]): Promise<{ input: string; output: string }> {
    const folder = path.join(dir, name);
    rmSync(folder, { recursive: true, force: true });
    const input = writeInput(path.join(folder, 'in.csv'), ROWS);
    const output = path.join(folder, 'out.csv');
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 0.35 });
    const outage = await runCli(args(input, output), { env: env() });
    expect(outage.code).toBe(0);
    expect(outage.stdout).toMatch(/\d+ rows failed transiently/);
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const killed = await runCli(args(input, output, ...more), { env: killAt(target(output), 'after') });
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')).mending).toBeDefined();
    writeFileSync(input, syntheticCsv(GROWN));
    return { input, output };
  }

  // Before the rename: the first save of the checkpoint (none while it scores within 10 minutes) records `mending`.
  const points = [
    { when: 'after it recorded the replacement, before the rename', target: (output: string) => `${output}.checkpoint.json`, more: ['--checkpoint-interval', '10m'] },
    { when: 'right after the rename', target: (output: string) => output, more: [] },
  ];

  for (const { when, target, more } of points) {
    it(`killed ${when}, then grown: the mend is finished and only the rows appended are sent`, async () => {
      const { input, output } = await killedMendThenGrown(`grown-${when.replace(/\W+/g, '-')}`, target, ...more);
      server.reset();
      const grown = await runCli(args(input, output), { env: env() });
      expect(grown.code).toBe(0);
      // Was: "… the job cannot be continued: its checkpoint records a mend of …/out.csv not finished …: starting over",
      // every row of the 260 sent again.
      expect(grown.stderr).not.toMatch(/cannot be continued|starting over/);
      expect(grown.stderr).toMatch(/an earlier run was stopped while it replaced the output with its mended copy: finished that/);
      expect(grown.stderr).toMatch(/Continuing: the input is the completed job's \d+ bytes with rows appended/);
      expect(server.stats().total).toBe(newRequests);
      expect(readFileSync(output).equals(fresh)).toBe(true);
    });
  }

  // Killed again at each step of the finish (the mended copy's rename, the checkpoint that records it) and at the copy
  // that makes the job a paused one: the next run finishes what is left and continues, no row paid twice.
  const finishSteps = [
    { step: 'the rename of the mended copy over the output', target: (output: string) => output, kill: 'after' as const },
    { step: 'the checkpoint that records the mend finished', target: (output: string) => `${output}.checkpoint.json`, kill: 'before' as const },
    { step: 'the copy of the output made the partial output', target: (output: string) => `${output}.partial`, kill: 'after' as const },
  ];
  for (const { step, target, kill } of finishSteps) {
    it(`the grown run killed at ${step}: the next run finishes and continues, the output a fresh run's`, async () => {
      const { input, output } = await killedMendThenGrown(`again-${step.replace(/\W+/g, '-')}`, (o) => `${o}.checkpoint.json`, '--checkpoint-interval', '10m');
      server.reset();
      const killed = await runCli(args(input, output), { env: killAt(target(output), kill) });
      expect(killed.signal).toBe('SIGKILL');
      expect(server.stats().total).toBe(0);
      const rerun = await runCli(args(input, output), { env: env() });
      expect(rerun.code).toBe(0);
      expect(rerun.stderr).not.toMatch(/cannot be continued|starting over/);
      expect(server.stats().total).toBe(newRequests);
      expect(readFileSync(output).equals(fresh)).toBe(true);
    });
  }
});
