import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { SERVICE_FAILING } from '../src/job/job-failures.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A run on standard input (or to standard output) keeps no checkpoint and no list of failed rows: its rerun scores the
 * input from the beginning. One too small for the error guard's stop mid-run, every row of it answered 500, ended exit 5
 * on the verdict for a complete output, `run the same command again once it answers (it re-scores just the rows that
 * failed transiently)`, though that run sends every row again (the stop mid-run already said so: stopped-summary.ts).
 */
describe('a run that keeps no checkpoint, judged at its end over the limit', () => {
  let server: RunningServer;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), failRate: 1, seed: 3 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const FROM_START = `${SERVICE_FAILING} (a run on standard input or output keeps no checkpoint: that run scores the input from the beginning)`;
  // `-o -` of a file: what it leaves, what the next run does, and how a run keeps its progress (it said only "a run on
  // standard input or output keeps no checkpoint", nothing of the rows written nor of a file output).
  const STDOUT_FROM_START = `${SERVICE_FAILING} (standard output keeps no checkpoint: the 20 rows written there are all this run leaves, and that run scores every row again, from the first; to keep a run's progress, write to a file (-o FILE))`;
  const csv = `text\n${Array.from({ length: 20 }, (_, i) => `review ${i} was fine`).join('\n')}\n`;

  it.each([
    ['standard input', ['-o', 'scored.csv']],
    ['standard output', ['-o', '-']],
  ])('%s: the rerun scores from the beginning, and the line says so', async (_, output) => {
    const args = ['score', '-', '--format', 'csv', ...output.map((word) => (word === 'scored.csv' ? path.join(dir, word) : word))];
    const run = await runCli([...args, '--max-attempts', '1', '--log-format', 'pretty'], { env: workersAiEnv(server), input: csv });
    expect(run.code).toBe(5);
    // The summary's last line (standard error with -o -, standard output with a file).
    const verdict = `${run.stdout}\n${run.stderr}`.split('\n').find((line) => line.includes('rows sent to the model failed in this run'));
    expect(verdict).toContain('20 of 20 rows sent to the model failed in this run');
    expect(verdict).not.toContain('re-scores just the rows that failed');
    expect(verdict).toContain(FROM_START);
  });

  it('a file to standard output: the line says what the run wrote there, that the rerun scores every row, and to write to a file', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, csv);
    const run = await runCli(['score', input, '-o', '-', '--max-attempts', '1', '--log-format', 'pretty'], { env: workersAiEnv(server) });
    expect(run.code).toBe(5);
    const verdict = run.stderr.split('\n').find((line) => line.includes('rows sent to the model failed in this run'));
    expect(verdict).toContain(STDOUT_FROM_START);
    expect(verdict).not.toContain('a run on standard input or output');
  });
});
