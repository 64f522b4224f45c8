import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A run on standard input that stopped before it wrote a row (the daily allocation used up: exit 75) kept
 * `out.csv.partial`, its header alone, which no run continues and nothing was written into (lowfix53): it is removed,
 * and the summary says no row was written. One that wrote rows keeps the file, which holds them.
 */
describe('a stopped run on standard input', () => {
  let server: RunningServer;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    // The first request answered spends the allocation: every later one is refused (429, code 4006).
    server = await startServer({ scorer: new TestScorer(), dailyNeurons: 0.001 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const csv = `text\n${Array.from({ length: 5 }, (_, i) => `review ${i} was fine`).join('\n')}\n`;
  const score = (output: string) => runCli(['score', '-', '--format', 'csv', '-o', output, '--concurrency', '1', '--log-level', 'error'], { env: workersAiEnv(server), input: csv });

  it('keeps the partial output holding the rows it wrote, and leaves none when it wrote no row', async () => {
    const first = path.join(dir, 'first.csv');
    const wrote = await score(first);
    expect(wrote.code).toBe(75);
    expect(readFileSync(`${first}.partial`, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(wrote.stdout).toContain('first.csv.partial holds the 1 row this run wrote');

    const second = path.join(dir, 'second.csv');
    const none = await score(second);
    expect(none.code).toBe(75);
    expect(existsSync(`${second}.partial`)).toBe(false);
    const lines = none.stdout.split('\n');
    expect(lines[0]).toBe(`Paused; a run on standard input or output cannot continue, run it again from the start: ${second} (no row written)`);
    expect(lines[2]).toBe(`  no row was written, so no ${second}.partial is left: the next run at this output starts from the beginning`);

    // A file's run stopped so keeps its header-only partial output: its checkpoint continues it.
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, csv);
    const third = path.join(dir, 'third.csv');
    const file = await runCli(['score', input, '-o', third, '--concurrency', '1', '--log-level', 'error'], { env: workersAiEnv(server) });
    expect(file.code).toBe(75);
    expect(readFileSync(`${third}.partial`, 'utf8').split('\n').filter(Boolean)).toEqual([readFileSync(`${first}.partial`, 'utf8').split('\n')[0]]);
  });
});
