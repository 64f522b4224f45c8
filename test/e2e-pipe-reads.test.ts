import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, cleanEnv, tempDir, type CliResult } from './support/cli.js';

/**
 * A named pipe that nothing writes to, given where the command reads a small file of its own (a job file, the token
 * file): it was read with the process's one thread waiting for a writer for ever, no line, and SIGTERM could not end it
 * (only SIGKILL). Each run here is killed after 20 s, which the old code needed: a run that ends on its own is the fix.
 * A pipe with a writer there (bash's process substitution) is still read.
 */
describe.skipIf(process.platform === 'win32')('a named pipe where the command reads a job file or the token file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  /** `script` run by bash with the CLI's path as $1 (for process substitution), killed with SIGKILL after 20 s. */
  const bash = (script: string, env: Record<string, string> = {}): Promise<CliResult> => {
    const child = spawn('bash', ['-c', script, 'bash', CLI], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve) =>
      child.on('close', (code, signal) => {
        clearTimeout(deadline);
        resolve({ code, signal, stdout, stderr });
      }),
    );
  };
  const node = `exec "${process.execPath}" "$1"`;
  const fifo = (name: string): string => {
    const at = path.join(dir, name);
    execFileSync('mkfifo', [at]);
    return at;
  };
  const noWriter = 'it is a named pipe, not a file, and nothing writes to it (reading it would wait for ever); give the path of a file, or start what writes to it first';

  it('a job file that is a named pipe nothing writes to: exit 2, one line naming it, not a wait for ever', async () => {
    fifo('job.json');
    const result = await bash(`${node} run job.json`);
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 2, signal: null });
    expect(result.stderr).toBe(`sentiment-batch: cannot read job file job.json: ${noWriter}\n`);
  });

  it('CLOUDFLARE_API_TOKEN_FILE a named pipe nothing writes to: exit 2, one line naming it', async () => {
    const token = fifo('token');
    const input = path.join(REPO_ROOT, 'fixtures/reviews.csv');
    const result = await bash(`${node} estimate "${input}" --text-column review`, { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN_FILE: token });
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 2, signal: null });
    expect(result.stderr).toBe(`sentiment-batch: cannot read CLOUDFLARE_API_TOKEN_FILE ${token}: ${noWriter}\n`);
  });

  it('a job file and a token file given through process substitution (a pipe with its writer): read as before', async () => {
    const job = path.join(dir, 'real-job.json');
    writeFileSync(job, JSON.stringify({ input: path.join(REPO_ROOT, 'fixtures/reviews.csv'), textColumn: 'review', output: path.join(dir, 'out.csv'), backend: 'embedded' }));
    // The writers wait a moment before they write: the command reads what they give, however late.
    const run = await bash(`${node} run <(sleep 0.3; cat real-job.json)`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Done: ${path.join(dir, 'out.csv')}`);
    const estimate = await bash(`CLOUDFLARE_API_TOKEN_FILE=<(sleep 0.3; echo token) ${node} estimate "${path.join(REPO_ROOT, 'fixtures/reviews.csv')}" --text-column review`, { CLOUDFLARE_ACCOUNT_ID: 'acct' });
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stdout).toMatch(/^requests 27 /m);
  });
});
