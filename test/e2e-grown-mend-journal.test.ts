import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { syntheticCsv } from './support/reviews.js';
import { syntheticGrownReference } from './support/grown-reference.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A completed job whose rerun mends its failed rows, killed (kill -9) while the mend scores them (its answers in the
 * journal, nothing replaced yet), then its export grown by rows appended (the nightly export). The run of the grown
 * export continues it and then mends the listed rows: it read the journal for the continuation, removed it as the
 * output completed, and the mend after it paid again for every answer the killed mend had received (measured with the
 * real imdb export: 285 requests where 247 were owed). The same input (not grown) reused them.
 */
const ROWS = 200;
const GROWN = 240;

describe('a mend killed while it scores, then the export grown', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let fresh: Buffer;
  let newRequests: number;
  const env = () => workersAiEnv(server, { token: 'token' });
  const args = (input: string, output: string) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn'];

  function writeInput(file: string, rows: number): string {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, syntheticCsv(rows));
    return file;
  }

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 21 });
    ({ fresh, appendedRequests: newRequests } = await syntheticGrownReference(server, (from, to) => runCli(args(from, to), { env: env() }), dir, ROWS, GROWN));
    expect(newRequests).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** The outage night, then the rerun's mend killed with all its listed texts answered but one: the journal holds them. */
  async function killedMend(folder: string): Promise<{ input: string; output: string }> {
    const input = writeInput(path.join(folder, 'in.csv'), ROWS);
    const output = path.join(folder, 'out.csv');
    // The outage night: 35 % of answers 500, no retry; every failed request is a row listed to mend.
    server.reset();
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 0.35 });
    const outage = await runCli(args(input, output), { env: env() });
    expect(outage.code).toBe(0);
    const failed = server.stats().byStatus['500'] ?? 0;
    expect(failed).toBeGreaterThan(10);

    // The rerun's mend: every listed text answered but the last to arrive, which hangs; killed once the others are journaled.
    server.reset();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    server.enqueue([...Array.from({ length: failed - 1 }, () => ({ status: 200 })), { hang: true }]);
    const mend = spawnCli(args(input, output), { env: env() });
    const journal = `${output}.journal`;
    const journaled = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((line) => line !== '').length - 1 : 0);
    await waitWhileRunning(mend, () => journaled() === failed - 1, `${failed - 1} answers in the journal`);
    mend.kill('SIGKILL');
    expect((await mend.result).signal).toBe('SIGKILL');
    expect(server.stats().byOutcome.ok).toBe(failed - 1);
    return { input, output };
  }

  /** killedMend, then the export grown and the service answering every request again. */
  async function grownAfterKilledMend(folder: string): Promise<{ input: string; output: string; journal: string }> {
    const { input, output } = await killedMend(folder);
    writeFileSync(input, syntheticCsv(GROWN));
    server.reset();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    return { input, output, journal: `${output}.journal` };
  }

  it('the run of the grown export mends with the killed mend\'s answers: only the new rows and the unanswered one are sent', async () => {
    const { input, output, journal } = await grownAfterKilledMend(path.join(dir, 'case'));
    const rerun = await runCli(args(input, output), { env: env() });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/mended \d+ rows that had failed transiently \(0 rows still failed\)/);
    // Was: newRequests + failed, every answer the killed mend received paid again.
    expect(server.stats().total).toBe(newRequests + 1);
    expect(readFileSync(output).equals(fresh)).toBe(true);
    expect(existsSync(journal)).toBe(false);
  });

  // review67: killed between the checkpoint that records the output complete and the rename of its partial output, the
  // run that finishes the rename (finish-rename.ts) removed the journal, and the mend of the run after it paid again for
  // every answer the killed mend had received (newRequests + failed).
  it('the run of the grown export killed before its output\'s rename: the next run finishes it, the mend after it uses the killed mend\'s answers', async () => {
    const { input, output, journal } = await grownAfterKilledMend(path.join(dir, 'case-rename'));
    const killed = await runCli(args(input, output), { env: { ...env(), ...killAtRename(output, { when: 'before' }) } });
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')).completed).toBe(true);
    const finished = await runCli(args(input, output), { env: env() });
    expect(finished.code, finished.stderr).toBe(0);
    expect(existsSync(journal)).toBe(true);
    const mended = await runCli(args(input, output), { env: env() });
    expect(mended.code, mended.stderr).toBe(0);
    expect(mended.stdout).toMatch(/mended \d+ rows that had failed transiently/);
    // Was newRequests + failed.
    expect(server.stats().total).toBe(newRequests + 1);
    expect(readFileSync(output).equals(fresh)).toBe(true);
    expect(existsSync(journal)).toBe(false);
  });

  it('a run of the grown export whose own rows fail past the limit mends nothing and keeps the killed mend\'s answers for the next run', async () => {
    const { input, output } = await killedMend(path.join(dir, 'case-failing'));
    const journal = `${output}.journal`;
    writeFileSync(input, syntheticCsv(GROWN));
    // The outage goes on: every new row fails, past --max-error-rate 0.5, so this run mends nothing (run-end.ts: guard.final()).
    server.reset();
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 1 });
    const failing = await runCli([...args(input, output), '--max-error-rate', '0.5'], { env: env() });
    expect(failing.code).toBe(0);
    expect(failing.stdout).toMatch(/rows failed transiently: run the same command again/);
    expect(server.stats().byOutcome.ok ?? 0).toBe(0);
    const newFailed = server.stats().total;
    // The next night: the mend sends the new rows and the one the killed mend left unanswered, no more.
    server.reset();
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const rerun = await runCli(args(input, output), { env: env() });
    expect(rerun.code).toBe(0);
    // Was newFailed + failed: the journal was removed as the failing run completed the output.
    expect(server.stats().total).toBe(newFailed + 1);
    expect(readFileSync(output).equals(fresh)).toBe(true);
    expect(existsSync(journal)).toBe(false);
  });
});
