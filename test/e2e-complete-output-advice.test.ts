import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const PRELOAD = path.join(REPO_ROOT, 'test/support/fault-at-rename.mjs');
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');

/**
 * A fault once every row is written and the checkpoint says the job is complete, at the rename that puts the output at
 * its path (a folder remounted read-only, made unwritable, a disk full): the line said "write elsewhere (-o), then run
 * the same command again (it continues from the checkpoint)". Elsewhere, every row is scored (paid) again; the same
 * command only renames. The line says what is needed, and that the next run scores nothing again.
 */
describe('a fault at the rename that completes the output', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const AGAIN = 'then run the same command again (every row is written: it only completes the output, scoring nothing again)';

  it.each([
    ['EROFS', (folder: string) => `the folder ${folder} is on a read-only filesystem: mount it writable, ${AGAIN}`],
    ['ENOSPC', (folder: string) => `no space left on the device holding ${folder}/out.csv.partial -> ${folder}/out.csv: free some space, ${AGAIN}`],
  ])('%s: no "write elsewhere", and the rerun finishes with the rows as written', async (code, line) => {
    const folder = path.join(dir, code);
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const summaryJson = path.join(folder, 's.json');
    const args = ['score', INPUT, '--text-column', 'review', '-o', output, '--summary-json', summaryJson, '--log-level', 'error', '--log-format', 'pretty'];
    const failed = await runCli(args, { env: { NODE_OPTIONS: `--import ${PRELOAD}`, SB_TEST_FAULT_RENAME_TO: output, SB_TEST_FAULT_RENAME_CODE: code } });
    expect(failed.code).toBe(74);
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(`sentiment-batch: ${line(folder)}`);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ exitCode: 74, message: line(folder) });
    expect(existsSync(output)).toBe(false);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Done: /);
    expect(existsSync(output)).toBe(true);
  });
});

/**
 * A fault once every row is written, while the job is sealed: the list of failed rows made final, or the checkpoint
 * that says "completed" (the last two writes before that rename). The line said "or write elsewhere (-o), then run the
 * same command again (it continues from the checkpoint)": elsewhere, every row is paid for again; the same command
 * continues from the last checkpoint and takes the answers received from the journal, paying for none again.
 */
describe('a fault while the job is sealed, every row written', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', seed: 5 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const AGAIN = 'then run the same command again (every row is written: it continues from the checkpoint, paying for no answer again)';

  it.each([
    ['the "completed" checkpoint', 'EROFS', 'out.csv.checkpoint.json', '"completed": true', (folder: string) => `the folder ${folder} is on a read-only filesystem: mount it writable, ${AGAIN}`],
    // The line names the file the user knows, not the temporary file whose rename met the fault (.failed-rows.tmp-PID).
    ['the list of failed rows', 'ENOSPC', 'out.csv.failed-rows', '"complete":true', (folder: string) => `no space left on the device holding ${folder}/out.csv.failed-rows: free some space, ${AGAIN}`],
  ])('%s refused (%s): no "write elsewhere", and the rerun pays for no answer again', async (_what, code, file, holding, line) => {
    const folder = path.join(dir, code);
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const env = workersAiEnv(server, { token: 'token' });
    // Rows failed transiently (500s, one attempt each): the list of failed rows is written when the job is sealed.
    server.setFaults({ seed: 5, latency: '1-5ms', failRate: 0.2 });
    server.reset();
    const args = ['score', INPUT, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'error', '--log-format', 'pretty'];
    const faults = { NODE_OPTIONS: `--import ${PRELOAD}`, SB_TEST_FAULT_RENAME_TO: path.join(folder, file), SB_TEST_FAULT_RENAME_CODE: code, SB_TEST_FAULT_RENAME_IF: holding };
    const failed = await runCli(args, { env: { ...env, ...faults } });
    expect(failed.code).toBe(74);
    const said = failed.stderr.trim().split('\n').at(-1)!.replace(/^sentiment-batch: /, '');
    const expected = line(folder);
    if (typeof expected === 'string') expect(said).toBe(expected);
    else expect(said).toMatch(expected);
    expect(existsSync(output)).toBe(false);
    // The answers received are in the journal: the same command sends only the rows that failed (no answer to pay again).
    const failedRows = server.stats().byOutcome.error;
    server.setFaults({ seed: 5, latency: '1-5ms' });
    server.reset();
    const again = await runCli(args, { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Done: /);
    expect(server.stats().total).toBe(failedRows);
    expect(readFileSync(output, 'utf8')).not.toContain('http_500');
  });
});

/**
 * The same faults under --restart: the line said "free some space or write elsewhere (-o), then run the same command
 * again". Either pays for every row again (the same command starts over, as --restart says; elsewhere is a new job):
 * the run that keeps the answers is the same command without --restart, which continues from this run's checkpoint.
 */
describe('a fault once every row is written, under --restart', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', seed: 5 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it.each([
    ['the list of failed rows (sealing)', 'ENOSPC', 'out.csv.failed-rows', '"complete":true', 'it continues from the checkpoint, paying for no answer again'],
    ['the rename that completes the output', 'EROFS', 'out.csv', undefined, 'it only completes the output, scoring nothing again'],
  ])('%s refused (%s): the line says to run it without --restart, and that run pays for no answer again', async (_what, code, file, holding, does) => {
    const folder = path.join(dir, code);
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const env = workersAiEnv(server, { token: 'token' });
    server.setFaults({ seed: 5, latency: '1-5ms', failRate: 0.2 });
    server.reset();
    const args = ['score', INPUT, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'error', '--log-format', 'pretty'];
    const faults = { NODE_OPTIONS: `--import ${PRELOAD}`, SB_TEST_FAULT_RENAME_TO: path.join(folder, file), SB_TEST_FAULT_RENAME_CODE: code, ...(holding ? { SB_TEST_FAULT_RENAME_IF: holding } : {}) };
    const failed = await runCli([...args, '--restart'], { env: { ...env, ...faults } });
    expect(failed.code).toBe(74);
    const said = failed.stderr.trim().split('\n').at(-1)!;
    expect(said).not.toContain('write elsewhere');
    expect(said).toMatch(new RegExp(`: (free some space|mount it writable), then run the same command again without --restart \\(every row is written: ${does}; with --restart it would score, and pay for, every row again\\)$`));
    const failedRows = server.stats().byOutcome.error;
    server.setFaults({ seed: 5, latency: '1-5ms' });
    server.reset();
    const again = await runCli(args, { env });
    expect(again.code).toBe(0);
    expect(server.stats().total).toBe(code === 'EROFS' ? 0 : failedRows);
  });
});
