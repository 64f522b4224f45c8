import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A completed Workers AI job whose rerun mends its failed rows, killed (kill -9) while the mend replaces the output (the
 * checkpoint records `mending`: before the copy's rename, or right after it), then run with another backend or other
 * settings, which start it over. The answers it paid for (the output's and the mend's) were not kept: the file at the
 * output's path could be either copy, so none was read, and the run back on Workers AI paid for every row again (176
 * requests for the 176 texts of 200 rows). The complete copy is read now (kept-answers.ts). The kill lands at an exact
 * step through test/support/kill-at-rename.mjs, as in e2e-crash-points.test.ts.
 */
const ROWS = 200;

describe('a mend killed while it replaces the output, then the job started over by another backend or other settings', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  let input: string;
  let healthy: Buffer;
  const env = (extra: Record<string, string> = {}) => ({ ...workersAiEnv(server, { token: 'token' }), ...extra });
  const killAtRenameTo = (file: string) => env(killAtRename(file));
  const args = (output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn', ...more];
  const outageFiles = () => path.join(dir, 'outage-files');

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms', seed: 21 });
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS));
    const reference = path.join(dir, 'healthy', 'out.csv');
    expect((await runCli(args(reference), { env: env() })).code).toBe(0);
    healthy = readFileSync(reference);
    // One outage run (35 % of answers 500, no retry): its files kept aside, each case starts from a copy of them.
    server.setFaults({ seed: 21, latency: '1-3ms', failRate: 0.35 });
    const outage = await runCli(args(path.join(outageFiles(), 'out.csv')), { env: env() });
    expect(outage.code).toBe(0);
    expect(outage.stdout).toMatch(/\d+ rows failed transiently/);
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** The outage's files at a case's own folder, its mend killed at the rename onto `killAt(output)`: the checkpoint records `mending`. */
  async function killedMend(name: string, killAt: (output: string) => string, ...more: string[]): Promise<string> {
    const output = path.join(dir, name, 'out.csv');
    rmSync(path.dirname(output), { recursive: true, force: true });
    cpSync(outageFiles(), path.dirname(output), { recursive: true });
    server.setFaults({ seed: 21, latency: '1-3ms' });
    const killed = await runCli(args(output, ...more), { env: killAtRenameTo(killAt(output)) });
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')).mending).toBeDefined();
    return output;
  }

  // Before the rename: the first save of the checkpoint (none while it scores within 10 minutes) records `mending`.
  const beforeRename = (output: string) => `${output}.checkpoint.json`;
  const afterRename = (output: string) => output;
  const points = [
    { when: 'after it recorded the replacement, before the rename', killAt: beforeRename, more: ['--checkpoint-interval', '10m'] },
    { when: 'right after the rename', killAt: afterRename, more: [] },
  ];

  it('killed before the rename, then --backend embedded killed before its first checkpoint: the run back on Workers AI says the kept answers are used, and sends none', async () => {
    const output = await killedMend('embedded-killed', beforeRename, '--checkpoint-interval', '10m');
    server.reset();
    // The embedded job has replaced the mended copy with its own partial output, its checkpoint not yet written: the old
    // one still records the mend, whose copy is gone.
    const embedded = await runCli(args(output, '--backend', 'embedded'), { env: env(killAtRename(`${output}.checkpoint.json`, { when: 'before' })) });
    expect(embedded.signal).toBe('SIGKILL');

    const back = await runCli(args(output, '--backend', 'workers-ai'), { env: env() });
    expect(back.code).toBe(0);
    expect(server.stats().total).toBe(0);
    // Was: "… but that copy holds 100 bytes: starting over; every row is scored again (run with --cache DIR to keep
    // answers across runs …)", while the answers kept in <output>.answers were read and no request went out.
    expect(back.stderr).toMatch(/but that copy holds \d+ bytes: starting over; the answers kept before are used \(\d+ texts in .*out\.csv\.answers\): a text among them is not sent again/);
    expect(readFileSync(output).equals(healthy)).toBe(true);
  });

  for (const { when, killAt, more } of points) {
    it(`killed ${when}, then --backend embedded: the run back on Workers AI pays for no row again`, async () => {
      const output = await killedMend(`embedded-${killAt === beforeRename ? 'before' : 'after'}`, killAt, ...more);
      server.reset();
      const embedded = await runCli(args(output, '--backend', 'embedded'), { env: env() });
      expect(embedded.code).toBe(0);
      // Read from the mend's copy: the partial output before the rename (the line said "the completed job's output out.csv").
      const copy = killAt === beforeRename ? `${output}.partial` : output;
      expect(embedded.stderr).toMatch(new RegExp(`starting over; the \\d+ answers in the completed job's mended output ${copy.replace(/[.]/g, '\\.')} are not reused by this one \\(`));
      expect(embedded.stderr).toMatch(/, but they are kept in /);
      expect(server.stats().total).toBe(0);

      const back = await runCli(args(output, '--backend', 'workers-ai'), { env: env() });
      expect(back.code).toBe(0);
      // Was: 176 requests, one for every text of the 200 rows: every answer paid again.
      expect(server.stats().total).toBe(0);
      expect(readFileSync(output).equals(healthy)).toBe(true);
    });

    it(`killed ${when}, then another --prefix on Workers AI: the job started over sends no request`, async () => {
      const output = await killedMend(`prefix-${killAt === beforeRename ? 'before' : 'after'}`, killAt, ...more);
      server.reset();
      const other = await runCli(args(output, '--prefix', 'mood'), { env: env() });
      expect(other.code).toBe(0);
      expect(other.stderr).toMatch(/starting over; the answers of its output are kept for this job/);
      // Was: 176 requests, one for every text of the 200 rows.
      expect(server.stats().total).toBe(0);
    });
  }

  it('killed before the rename, then the export grown: the mend is finished, the export continued: only the new rows\' texts are sent', async () => {
    const output = await killedMend('grown', beforeRename, '--checkpoint-interval', '10m');
    // The same export with 40 rows appended (its first 200 rows byte for byte the ones the job read), at the job's folder.
    const grownInput = path.join(path.dirname(output), 'in.csv');
    writeFileSync(grownInput, syntheticCsv(ROWS + 40));
    const grownArgs = (out: string) => ['score', grownInput, '--text-column', 'review', '-o', out, '--rpm', '100000', '--log-level', 'warn'];
    server.reset();
    const fresh = path.join(dir, 'grown-fresh', 'out.csv');
    expect((await runCli(grownArgs(fresh), { env: env() })).code).toBe(0);
    const everyText = server.stats().total;
    server.reset();
    const rerun = await runCli(grownArgs(output), { env: env() });
    expect(rerun.code).toBe(0);
    // The mend is finished first (finish-mend.ts), then the grown export continued from the completed checkpoint it
    // leaves (test/e2e-grown-mend-kill.test.ts checks its lines): not started over.
    expect(rerun.stderr).not.toMatch(/starting over|cannot be continued/);
    // Was: "… starting over; every row is scored again (…)", and every text of the 240 rows sent, the 200 rows' paid again.
    expect(server.stats().total).toBe(everyText - 176);
    expect(readFileSync(output).equals(readFileSync(fresh))).toBe(true);
  });
});
