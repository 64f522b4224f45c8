import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pidNamespace } from '../src/process/dead-holder.js';
import { startServer } from '../src/server/index.js';
import { REPO_ROOT, everyLineJson, spawnCli, tempDir, waitFor } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { syntheticCsv } from './support/reviews.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * With JSON logs asked for by name (--log-format json, or a job file's "logFormat": "json"), the line a run ends with
 * on standard error when it does not end by returning its summary was plain, `sentiment-batch: …`, for every exit but
 * 2 and 3 (c585d81): the lock another run holds (75), a signal before any work and a second signal (130), an internal
 * error (1). A JSON-only log collector could not parse it. Each is now one JSON line in the log's shape, level 40 for
 * 75 and 130 (as the run logs a pause and a signal), 50 for a failure, with the exit code; never a second line.
 * The output's folder removed under a run (74, the lock's heartbeat): e2e-folder-removed-lock.test.ts; a machine fault
 * the run logged at error with its summary adds no line: e2e-machine-faults.test.ts.
 */
describe('JSON logs asked for: the line every exit closes with is JSON', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());


  const input = (name: string): string => {
    const file = path.join(dir, name);
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), file);
    return file;
  };

  it('the lock another run holds (exit 75): one JSON line at warn, and nothing else', async () => {
    const output = path.join(dir, 'locked.csv');
    mkdirSync(`${output}.lock`);
    // This test's own process: alive, of this host and PID namespace.
    const pidNs = pidNamespace();
    writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}), since: new Date().toISOString() }));
    const result = await spawnCli(['score', input('locked-in.csv'), '--text-column', 'review', '-o', output, '--log-format', 'json']).result;
    expect(result.code).toBe(75);
    expect(everyLineJson(result.stderr)).toEqual([{ level: 40, time: expect.any(Number), exitCode: 75, msg: expect.stringMatching(/^another run is writing .*locked\.csv .*try again later/) }]);
  }, 60_000);

  it('a signal before any work (exit 130), JSON asked by the job file: one JSON line at warn', async () => {
    const job = path.join(dir, 'early.json');
    writeFileSync(job, JSON.stringify({ input: input('early-in.csv'), textColumn: 'review', output: path.join(dir, 'early.csv'), backend: 'embedded', logFormat: 'json' }));
    // The signal lands while the entry loads the signal handling (test/support/signal-at-entry.mjs), before the command.
    const hook = path.join(REPO_ROOT, 'test/support/signal-at-entry.mjs');
    const ended = await spawnCli(['run', job], { env: { NODE_OPTIONS: `--import ${hook}` } }).result;
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 130, signal: null });
    expect(everyLineJson(ended.stderr)).toEqual([{ level: 40, time: expect.any(Number), exitCode: 130, msg: 'stopped by SIGTERM (nothing under way to save)' }]);
  }, 60_000);

  it('a second signal while a run stops (exit 130): every line JSON, the last "second SIGTERM, exiting now: the requests in flight are abandoned…" at warn', async () => {
    // Answers that take 5 s: the first signal's stop waits for those in flight, and the second comes meanwhile.
    const server = await startServer({ scorer: new TestScorer(), latency: '5s' });
    onTestFinished(() => server.close());
    const output = path.join(dir, 'second.csv');
    const env = workersAiEnv(server, { token: 'token-0123456789' });
    const child = spawnCli(['score', input('second-in.csv'), '--text-column', 'review', '-o', output, '--log-format', 'json'], { env });
    onTestFinished(() => void child.kill('SIGKILL'));
    await waitFor(() => server.stats().total > 0, 60_000, 'the first request sent');
    child.kill('SIGTERM');
    await waitFor(() => child.said().stderr.includes('"signal":"SIGTERM"'), 30_000, 'the first signal logged');
    child.kill('SIGTERM');
    const ended = await child.result;
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 130, signal: null });
    // The requests in flight are abandoned: the line says so, as --summary-json does (it said only "exiting now").
    expect(everyLineJson(ended.stderr).at(-1)).toEqual({
      level: 40,
      time: expect.any(Number),
      exitCode: 130,
      msg: 'second SIGTERM, exiting now: the requests in flight are abandoned, and the next run sends them again (paid twice)',
    });
  }, 120_000);

  // To know at the start whether JSON was asked for, the job file is read before the command reads it: a named pipe
  // read so left the command nothing (exit 2, 'it is a named pipe … and nothing writes to it'). A pipe is not read early.
  it('a job file that is a named pipe with a writer: the command still reads it, and runs', async () => {
    const fifo = path.join(dir, 'piped.json');
    execFileSync('mkfifo', [fifo]);
    const job = JSON.stringify({ input: input('piped-in.csv'), textColumn: 'review', output: path.join(dir, 'piped.csv'), backend: 'embedded', logFormat: 'json' });
    // Blocks in its open until a reader opens the pipe, then writes the job and ends.
    const writer = spawn('sh', ['-c', 'printf "%s" "$1" > "$2"', 'sh', job, fifo], { stdio: 'ignore' });
    onTestFinished(() => void writer.kill('SIGKILL'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ended = await spawnCli(['run', fifo]).result;
    expect(ended.code, ended.stderr).toBe(0);
    expect(everyLineJson(ended.stderr).some((line) => line.msg === 'summary')).toBe(true);
  }, 60_000);

  it('an internal error (exit 1): one JSON line at error, its stack inside it', async () => {
    const hook = path.join(REPO_ROOT, 'test/support/unhandled-rejection.mjs');
    const big = path.join(dir, 'bug.csv');
    writeFileSync(big, syntheticCsv(50_000));
    const ended = await spawnCli(['score', big, '--text-column', 'review', '--backend', 'embedded', '-o', path.join(dir, 'bug.out.csv'), '--log-format', 'json'], { env: { NODE_OPTIONS: `--import ${hook}` } }).result;
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 1, signal: null });
    const lines = everyLineJson(ended.stderr);
    expect(lines.at(-1)).toEqual({ level: 50, time: expect.any(Number), exitCode: 1, msg: expect.stringMatching(/^internal error \(a bug, please report it\): Error: a deliberate unhandled rejection\\n\s+at /) });
  }, 60_000);
});
