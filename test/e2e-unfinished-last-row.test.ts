import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitFor } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// An export still being appended, read while its last row had no line ending yet: the writer finishes that row while
// its answer is awaited. The run ends exit 3 (the input changed); a periodic checkpoint had stood after that row, so
// the next run's proof found the row longer and started over: 3 requests again for 3 rows, where 1 (the finished
// row's new text) is all it needs.

describe('a last row its writer finishes while the run awaits its answer', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '1s', seed: 1 });
  const env = () => workersAiEnv(server);
  // One row at a time, each answered after 1 s; a checkpoint after every row written.
  const args = (input: string) => ['score', input, '--concurrency', '1', '--checkpoint-interval', '100ms', '--log-level', 'warn'];

  it('the next run sends that row alone and ends byte for byte as a run over the finished export', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good\n2,this product is fine\n3,awful');
    const first = spawnCli(args(input), { env: env() });
    // The last row's request has arrived: its answer comes 1 s later.
    await waitFor(() => server.stats().total >= 3, 60_000, "the last row's request");
    appendFileSync(input, ' service\n');
    const stopped = await first.result;
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/changed while it was being read \(it went from 45 to 54 bytes\)/);
    expect(server.stats().total).toBe(3);

    const next = await runCli(args(input), { env: env() });
    expect(next.code).toBe(0);
    expect(next.stderr).not.toMatch(/starting over/);
    expect(server.stats().total).toBe(4);

    const whole = path.join(dir, 'whole.csv');
    writeFileSync(whole, readFileSync(input));
    expect((await runCli(args(whole), { env: env() })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'in.scored.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'whole.scored.csv'), 'utf8'));
  }, 60_000);
});
