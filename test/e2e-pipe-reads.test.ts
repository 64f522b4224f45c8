import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { builtCli, cleanEnv, REPO_ROOT, tempDir, type CliResult } from './support/cli.js';
import { killedWaitingOnPipe } from './support/pipe-wait.js';

/**
 * A named pipe that nothing writes to, given where the command reads a small file of its own (a job file, the token
 * file): it was read with the process's one thread waiting for a writer for ever, no line, and SIGTERM could not end it
 * (only SIGKILL). A run found waiting on the pipe is killed (test/support/pipe-wait.ts): a run that ends on its own is the fix.
 * A pipe with a writer there (bash's process substitution) is still read.
 */
describe.skipIf(process.platform === 'win32')('a named pipe where the command reads a job file or the token file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  /**
   * `script` run by bash with the CLI's path as $1 (for process substitution). A run found waiting on a named pipe
   * nothing writes to (`watchPipes`: pipe-wait.ts) is killed at once, and so is one still running when the test ends
   * (a hang: its time-out). It was killed after a fixed 20 s, which a healthy run can take on a loaded CI machine.
   */
  const bash = async (script: string, env: Record<string, string> = {}, watchPipes = false): Promise<CliResult & { waitedOnPipe: boolean }> => {
    const child = spawn('bash', ['-c', script, 'bash', builtCli()], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // With process substitution a wait for the writer is a moment of the test (it sleeps before it writes): not watched.
    const waitedOnPipe = watchPipes && (await killedWaitingOnPipe(child));
    return { ...(await ended), stdout, stderr, waitedOnPipe };
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
    const result = await bash(`${node} run job.json`, {}, true);
    expect(result.waitedOnPipe, 'the run waits on the named pipe').toBe(false);
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 2, signal: null });
    expect(result.stderr).toBe(`sentiment-batch: cannot read job file job.json: ${noWriter}\n`);
  });

  it('CLOUDFLARE_API_TOKEN_FILE a named pipe nothing writes to: exit 2, one line naming it', async () => {
    const token = fifo('token');
    const input = path.join(REPO_ROOT, 'fixtures/reviews.csv');
    const result = await bash(`${node} estimate "${input}" --text-column review`, { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN_FILE: token }, true);
    expect(result.waitedOnPipe, 'the run waits on the named pipe').toBe(false);
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

  it('a job file through process substitution with relative paths: exit 2, one line saying the pipe has no folder for them, nothing written', async () => {
    // The nightly template a user fills in: `run <(sed "s/DAY/$(date +%F)/" job.json)`, its paths relative as job files
    // allow. A pipe's "folder" is /dev/fd: the run took its paths there and ended exit 74, "the folder /dev/fd/out does
    // not exist any more: it was removed while the command ran; run the same command again", which fails again.
    mkdirSync(path.join(dir, 'in'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(dir, 'in', 'reviews-DAY.csv'));
    writeFileSync(path.join(dir, 'rel-job.json'), JSON.stringify({ input: 'in/reviews-DAY.csv', output: 'out/reviews-DAY.scored.csv', textColumn: 'review', backend: 'embedded' }));
    const run = await bash(`${node} run <(cat rel-job.json)`);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      /^sentiment-batch: job file (\/dev\/fd|\/proc\/self\/fd)\/\d+: "input" 'in\/reviews-DAY\.csv' is a relative path, but the job file comes through a pipe, which has no folder for it to be relative to: give the full path in the job file, or write the job file to a folder first \(envsubst < job\.json > tonight\.json\), where its relative paths are relative to that folder\n$/,
    );
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    // A relative output after a full input is refused too, by its own key.
    writeFileSync(path.join(dir, 'rel-out.json'), JSON.stringify({ input: path.join(dir, 'in', 'reviews-DAY.csv'), output: 'out/x.csv', textColumn: 'review', backend: 'embedded' }));
    const out = await bash(`${node} run <(cat rel-out.json)`);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`: "output" 'out/x.csv' is a relative path, but the job file comes through a pipe`);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a job file through process substitution that is refused: its "summaryJson" is replaced and its "logFormat" kept, as for a job file on disk', async () => {
    // The pipe gives its text once: the summary's target and the closing line's format were read from it again, found
    // nothing, so last night's summary ("done", exit 0) stayed as this run's, and the line was plain.
    const summary = path.join(dir, 'piped-summary.json');
    writeFileSync(summary, JSON.stringify({ status: 'done', exitCode: 0 }));
    writeFileSync(path.join(dir, 'bad-job.json'), JSON.stringify({ input: path.join(REPO_ROOT, 'fixtures/reviews.csv'), summaryJson: summary, logFormat: 'json', rmp: 3 }));
    const run = await bash(`${node} run <(cat bad-job.json)`);
    expect(run.code).toBe(2);
    const line = JSON.parse(run.stderr) as { level: number; exitCode: number; msg: string };
    expect({ level: line.level, exitCode: line.exitCode }).toEqual({ level: 50, exitCode: 2 });
    expect(line.msg).toMatch(/^job file \S+: unknown key 'rmp' \(did you mean rpm\?\)/);
    const written = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; exitCode: number; message: string };
    expect({ status: written.status, exitCode: written.exitCode, message: written.message }).toEqual({ status: 'failed', exitCode: 2, message: line.msg });
  });
});
