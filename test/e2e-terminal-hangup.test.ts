import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { builtCli, cleanEnv, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A terminal that goes away under a run (its window closed, the SSH session dropped): the run is the session leader
 * of a pseudo-terminal whose other end is closed, so it gets SIGHUP and every write and terminal request on its
 * standard streams fails with EIO. Python's pty module plays the terminal (the node machine has python3; without it
 * the test skips): it reads until the progress line shows, closes its end, and reports the exit status it waits for.
 */
const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

const TERMINAL = `
import json, os, pty, select, sys, time
argv = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
screen, deadline = b'', time.time() + 60
while time.time() < deadline and b'rows/s' not in screen:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            screen += os.read(fd, 65536)
        except OSError:
            break
os.close(fd)
status = os.waitpid(pid, 0)[1]
print(json.dumps({'exit': os.waitstatus_to_exitcode(status), 'screen': screen.decode('utf-8', 'replace')}))
`;

/** Runs the built CLI on a pseudo-terminal that hangs up once the progress line shows; `exit` is negative for a signal. */
function runUntilHangUp(args: string[], env: Record<string, string>): Promise<{ exit: number; screen: string }> {
  const child = spawn('python3', ['-c', TERMINAL, JSON.stringify([process.execPath, builtCli(), ...args])], { env: cleanEnv({ ...env, COLUMNS: '200' }), stdio: ['ignore', 'pipe', 'inherit'] });
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

describe.skipIf(!hasPython)('a terminal hung up under a run', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '20-40ms' });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it('exits 130 with its checkpoint (not a crash: Node 20 aborted restoring the lost terminal, exit 139), and the rerun finishes', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    const summary = path.join(dir, 'summary.json');
    writeFileSync(input, syntheticCsv(400, { duplicateEvery: 0, emptyEvery: 0 }));
    const env = workersAiEnv(server, { account: 'acct123', token: 'hangup-token' });
    const args = ['score', input, '--text-column', 'review', '-o', output, '--summary-json', summary, '--concurrency', '2', '--rpm', '100000'];
    const { exit, screen } = await runUntilHangUp(args, env);
    expect(screen).toMatch(/rows\/s/);
    expect(exit).toBe(130);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(existsSync(`${output}.lock`)).toBe(false);
    const rerun = await runCli(args, { env });
    expect(rerun.code).toBe(0);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(401);
  }, 90_000);
});
