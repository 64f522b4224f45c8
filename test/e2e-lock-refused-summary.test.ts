import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidNamespace } from '../src/process/dead-holder.js';
import { REPO_ROOT, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';

// A run refused by the output's lock touched nothing: the --summary-json it was given is most likely the running
// job's (the same command fired twice), so it is left as it is; the exit code says "try later".
describe('a run refused by the lock leaves --summary-json as it is', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  const job = (owner: object) => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const input = path.join(dir, 'in.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const output = path.join(dir, 'out.csv');
    mkdirSync(`${output}.lock`);
    writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify(owner));
    const summary = path.join(dir, 'summary.json');
    // What the running job's summary holds (its previous run's, or its own once it ends).
    const running = '{\n  "status": "done",\n  "exitCode": 0\n}\n';
    writeFileSync(summary, running);
    const args = ['score', input, '--text-column', 'review', '-o', output, '--summary-json', summary, '--log-format', 'json'];
    return { output, summary, running, args };
  };

  it('refused at once by a live holder of this host: exit 75, one line, the summary file untouched', async () => {
    // This test's own process: alive, of this host and PID namespace.
    const pidNs = pidNamespace();
    const { output, summary, running, args } = job({ tool: 'sentiment-batch', host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}), since: new Date().toISOString() });
    const result = await spawnCli(args).result;
    expect(result.code).toBe(75);
    // --log-format json: the refusal's one line is JSON too, at warn ("try later"), as test/e2e-closing-line-json.test.ts checks.
    expect(JSON.parse(result.stderr)).toMatchObject({ level: 40, exitCode: 75, msg: expect.stringMatching(/^another run is writing /) });
    expect(readFileSync(summary, 'utf8')).toBe(running);
    expect(readFileSync(path.join(`${output}.lock`, 'owner.json'), 'utf8')).toContain(`"pid":${process.pid}`);
  });

  it('stopped by a signal while it watched the heartbeat of a holder it cannot check: exit 130, the summary file and the lock untouched', async () => {
    const { output, summary, running, args } = job({ tool: 'sentiment-batch', host: 'a-container', pid: 1, since: new Date().toISOString() });
    const child = spawnCli(args);
    let stderr = '';
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    await waitWhileRunning(child, () => stderr.includes('watching its heartbeat for up to'), 'the line saying it waits', 50_000);
    expect(stderr).toMatch(/another run holds the lock \(host a-container, pid 1\) and cannot be checked from here/);
    child.kill('SIGTERM');
    const result = await child.result;
    expect(result.code).toBe(130);
    // Nothing was in flight and no checkpoint is saved: the log says what the signal did instead.
    expect(result.stderr).not.toMatch(/finishing requests in flight|saving the checkpoint/);
    expect(result.stderr).toMatch(/stopping while waiting for the lock of another run: nothing was scored or written \(exit 130\)/);
    expect(result.stderr).toMatch(/stopped while waiting for the lock .* nothing was read or written/);
    expect(readFileSync(summary, 'utf8')).toBe(running);
    expect(readFileSync(path.join(`${output}.lock`, 'owner.json'), 'utf8')).toContain('"host":"a-container"');
  });
});
