import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A terminal that goes away under a run (its window closed, the SSH session dropped): the run is the session leader
 * of a pseudo-terminal whose other end is closed, so it gets SIGHUP and every write and terminal request on its
 * standard streams fails with EIO. Python's pty module plays the terminal (the node machine has python3; without it
 * the test skips): it reads until the progress line shows, closes its end, and reports the exit status it waits for.
 */
const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

const TERMINAL = `
import json, os, pty, select, signal, sys, time
argv, apart, status_file = json.loads(sys.argv[1]), sys.argv[2] == 'apart', sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    if not apart:
        os.execv(argv[0], argv)
    # Apart: the run in a session of its own (started with & before a logout), its streams still the terminal; this
    # process, the session leader, ignores the hang-up and reports how the run ended.
    run = os.fork()
    if run == 0:
        os.setsid()
        os.execv(argv[0], argv)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    with open(status_file, 'w') as f:
        f.write(str(os.waitstatus_to_exitcode(os.waitpid(run, 0)[1])))
    os._exit(0)
screen, deadline = b'', time.time() + 60
while time.time() < deadline and b'rows/s' not in screen:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            screen += os.read(fd, 65536)
        except OSError:
            break
os.close(fd)
status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
if apart:
    status = int(open(status_file).read())
print(json.dumps({'exit': status, 'screen': screen.decode('utf-8', 'replace')}))
`;

/**
 * Runs the built CLI on a pseudo-terminal that hangs up once the progress line shows; `exit` is negative for a signal.
 * `apart`: the run is in a session of its own, so the hang-up sends it no SIGHUP, only EIO for its writes (the harness
 * keeps that run's exit status in `dir`).
 */
function runUntilHangUp(args: string[], env: Record<string, string>, dir: string, apart = false, nodeArgs: string[] = []): Promise<{ exit: number; screen: string }> {
  const child = spawn('python3', ['-c', TERMINAL, JSON.stringify([process.execPath, ...nodeArgs, builtCli(), ...args]), apart ? 'apart' : 'session', path.join(dir, 'exit-status')], { env: cleanEnv({ ...env, COLUMNS: '200' }), stdio: ['ignore', 'pipe', 'inherit'] });
  let said = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
  return new Promise((resolve, reject) => child.on('close', () => {
    try {
      resolve(JSON.parse(said) as { exit: number; screen: string });
    } catch (error) {
      reject(new Error(`the terminal said: ${said}`, { cause: error }));
    }
  }));
}

/**
 * Preloaded before the entry: holds Node's start until the terminal hangs up (it says the harness's cue, then waits for
 * standard error to stop being a terminal), so the hang-up falls after Node noted the terminal to restore it at exit but
 * before anything of the package loads: the window of a terminal closed in the first ~0.2 s of a run (measured: -11,
 * -11, -6 at 200 ms).
 */
const HOLD_START_UNTIL_HANG_UP = `
const { isatty } = require('node:tty');
process.stderr.write('rows/s\\n');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < 3000 && isatty(2); i += 1) Atomics.wait(pause, 0, 0, 10);
`;

/** A 400-row job on `server` in a folder of its own under `dir` (the terminal's exit status is kept there too). */
function hangUpJob(dir: string, name: string, server: { baseURL: string }): { folder: string; output: string; summary: string; env: Record<string, string>; args: string[] } {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const input = path.join(folder, 'in.csv');
  const output = path.join(folder, 'out.csv');
  const summary = path.join(folder, 'summary.json');
  writeFileSync(input, syntheticCsv(400, { duplicateEvery: 0, emptyEvery: 0 }));
  const args = ['score', input, '--text-column', 'review', '-o', output, '--summary-json', summary, '--concurrency', '2', '--rpm', '100000'];
  return { folder, output, summary, env: workersAiEnv(server, { account: 'acct123', token: 'hangup-token' }), args };
}

describe.skipIf(!hasPython)('a terminal hung up under a run', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '20-40ms' });

  it('exits 130 with its checkpoint (not a crash: Node 20 aborted restoring the lost terminal, exit 139), and the rerun finishes', async () => {
    const { folder, output, summary, env, args } = hangUpJob(dir, 'session', server);
    const { exit, screen } = await runUntilHangUp(args, env, folder);
    expect(screen).toMatch(/rows\/s/);
    expect(exit).toBe(130);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(existsSync(`${output}.lock`)).toBe(false);
    const rerun = await runCli(args, { env });
    expect(rerun.code).toBe(0);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(401);
  }, 90_000);

  it('a run in a session of its own goes on to its end after the hang-up: exit 0, its summary says 0 (not 74 for the lost terminal, nor a crash)', async () => {
    const { folder, output, summary, env, args } = hangUpJob(dir, 'apart', server);
    const { exit, screen } = await runUntilHangUp(args, env, folder, true);
    expect(screen).toMatch(/rows\/s/);
    expect(exit).toBe(0);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'done', exitCode: 0 });
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(401);
  }, 90_000);

  it('-o - on the terminal, in a session of its own: its records lost with the reader, exit 2 "standard output was closed" as for `| head` (not 74 "free space where it goes")', async () => {
    const { folder, summary, env, args } = hangUpJob(dir, 'apart-records', server);
    const { exit, screen } = await runUntilHangUp(args.map((arg, i) => (args[i - 1] === '-o' ? '-' : arg)), env, folder, true);
    expect(screen).toMatch(/rows\/s/);
    expect(exit).toBe(2);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2, message: expect.stringMatching(/^standard output was closed after \d+ bytes \(write EIO\)/) });
  }, 90_000);

  it('hung up as the run starts, before the package loaded (a session of its own): exit 0, its summary says 0 (not a crash as Node restores the lost terminal)', async () => {
    const { folder, output, summary, env, args } = hangUpJob(dir, 'apart-at-start', server);
    const preload = path.join(folder, 'hold-start.cjs');
    writeFileSync(preload, HOLD_START_UNTIL_HANG_UP);
    const { exit } = await runUntilHangUp(args, env, folder, true, ['--require', preload]);
    expect(exit).toBe(0);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'done', exitCode: 0 });
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(401);
  }, 90_000);
});
