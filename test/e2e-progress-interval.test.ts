import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logLines, runCli, tempDir } from './support/cli.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** A run's progress log lines off a terminal follow --progress-interval, or a job file's "progressInterval". */
describe('score --progress-interval', () => {
  const server = useTestServer();
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('paces the progress log lines of a run (a job file\'s "progressInterval" 1s: one a second, not one in 5 s)', async () => {
    // 12 texts answered one at a time in 300 ms each: a run of 3.6 s or more.
    const served = await server.start({ latency: '300ms' });
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 12 }, (_, i) => `${i},review number ${i}`).join('\n')}\n`);
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: 'out.csv', concurrency: 1, progressInterval: '1s' }));
    const run = await runCli(['run', job], { env: workersAiEnv(served) });
    expect(run.code, run.stderr).toBe(0);
    const times = logLines(run.stderr)
      .filter((line) => line['msg'] === 'progress')
      .map((line) => Number(line['time']));
    expect(times.length, run.stderr).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
  });
});
