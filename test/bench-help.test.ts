import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/cli.js';

const run = promisify(execFile);
const BENCH = path.join(REPO_ROOT, 'dist/bench/run.js');

/** `npm run bench -- --help` said "unknown benchmark '--help'", exit 2: it prints the benchmarks and exits 0 (bench/run.ts). */
describe('npm run bench -- --help', () => {
  it.each(['--help', '-h'])('%s lists the benchmarks, exit 0, running none', async (flag) => {
    const { stdout, stderr } = await run(process.execPath, [BENCH, flag]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm run bench \[-- NAME \.\.\.\]/);
    expect(stdout).toMatch(/\n {2}pipeline\b/);
    expect(stdout).toMatch(/\n {2}docker-stop-soak\b.*only when named/);
    expect(stdout).not.toContain('== ');
  });

  it('an unknown name is still exit 2, naming the benchmarks', async () => {
    await expect(run(process.execPath, [BENCH, 'nope'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("unknown benchmark 'nope'; choose from embedded,") });
  });
});
