import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsCheckpointed, runCli, spawnCli, waitWhileRunning } from './support/cli.js';
import { loneRunFixture } from './support/lone-run.js';

/**
 * Too few open files: Node opens a module's imports all at once, so under a low
 * limit the CLI crashed with Node's stack trace (ulimit -n 20), named one of its
 * own modules (25–50), or said "Cannot find package" as an internal error. Now
 * it is one line and exit 74 before anything is loaded or written, and the job's
 * checkpoint is as it was: the same command under the usual limit finishes it.
 */
describe('a low open-files limit (ulimit -n)', () => {
  // Answers take 20-30 ms, 4 at a time: a run lasts seconds, time to stop it part-way, on 600 rows (rows cost
  // CPU, waiting does not).
  const job = loneRunFixture({
    rows: 600,
    flags: ['--rpm', '100000', '--concurrency', '4', '--checkpoint-interval', '100ms'],
    server: { latency: '20-30ms', token: 'token-abcdef123456' },
  });
  const { dir, env, args } = job;

  it('is one line and exit 74 before any work; the interrupted job then finishes byte for byte', async () => {
    const output = path.join(dir, 'out.csv');
    const child = spawnCli(args(output), { env: env() });
    await waitWhileRunning(child, () => rowsCheckpointed(output) >= 100, 'first checkpoints');
    child.kill('SIGTERM');
    expect((await child.result).code).toBe(130);
    const files = () => [`${output}.partial`, `${output}.checkpoint.json`].map((file) => readFileSync(file).toString('base64'));
    const atStop = files();

    job.server.reset();
    for (const limit of [20, 25, 30, 50, 100]) {
      const refused = await runCli(args(output), { env: env(), fileLimit: limit });
      expect(refused.stderr).not.toMatch(/\n\s+at |internal error|Cannot find/);
      expect(refused.stderr).toMatch(
        /^sentiment-batch: too few open files allowed \(EMFILE\): it could open only \d+ more and needs about 128 at once; raise the number of files this process may open \(ulimit -n, e.g\. to 1024\), then run the same command again\n$/,
      );
      expect(refused.code).toBe(74);
    }
    // --help too: the check comes before anything of the tool is loaded.
    expect((await runCli(['--help'], { fileLimit: 50 })).code).toBe(74);
    expect(job.server.stats().total).toBe(0);
    expect(files()).toEqual(atStop);

    const finished = await runCli(args(output), { env: env() });
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/whole job across resumes/);
    expect(readFileSync(output).equals(job.reference)).toBe(true);
  });

  it('under the usual limit the check passes', async () => {
    const result = await runCli(['--version'], { fileLimit: 1024 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
