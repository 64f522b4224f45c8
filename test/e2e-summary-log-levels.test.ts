import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logLines, runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * With JSON logs (no terminal: cron, a container) a collector alerts on levels. A run that ended failed (exit 4: the
 * token rejected; exit 5: too many rows failed) or paused (exit 75) logged only its summary, at info: the night that
 * needed a person looked like any other. Its one line now comes as a line of its own at error (failed) or warn
 * (paused), as the summary's warning does (test/e2e-bad-input.test.ts).
 */
describe('JSON logs: a failed or paused run says so at a level a collector alerts on', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();
  let input: string;
  beforeAll(() => {
    input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 8 }, (_, i) => `${i},thing ${i} is nice`).join('\n')}\n`);
  });

  const run = (output: string, extra: string[]) =>
    runCli(['score', input, '-o', path.join(dir, output), '--log-format', 'json', ...extra], {
      env: workersAiEnv(server, { token: 'token-0123456789' }),
    });
  /** The messages logged at `level`, from the JSON lines on standard error. */
  const logged = (stderr: string, level: number): string[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.level === level)
      .map((entry) => entry.msg);
  /** The message of the summary the run logged (also printed among the summary's last lines). */
  const message = (stderr: string): string =>
    (logLines(stderr).find((entry) => entry.msg === 'summary')!.summary as { message: string }).message;

  // Exit 4 (a rejected token) ends 'failed' as exit 5 does, through the same line of score.ts: three CLI runs keep the
  // file in the default tier.
  it('exit 5, too many rows failed: its line at error', async () => {
    server.enqueue(Array.from({ length: 8 }, () => ({ status: 500 })));
    const r = await run('failing.csv', ['--max-attempts', '1']);
    server.reset();
    expect(r.code).toBe(5);
    expect(message(r.stderr)).toMatch(/rows sent to the model failed/);
    expect(r.stdout).toContain(message(r.stderr));
    expect(logged(r.stderr, 50)).toEqual([message(r.stderr)]);
  });

  it('exit 75, a budget used up: its line at warn; a done run logs nothing at warn or above', async () => {
    const paused = await run('paused.csv', ['--max-requests', '3']);
    expect(paused.code).toBe(75);
    expect(message(paused.stderr)).toMatch(/request budget \(--max-requests 3\) is used up/);
    expect(logged(paused.stderr, 40)).toContain(message(paused.stderr));
    expect(logged(paused.stderr, 50)).toEqual([]);
    const done = await run('paused.csv', []);
    expect(done.code).toBe(0);
    expect([...logged(done.stderr, 40), ...logged(done.stderr, 50)]).toEqual([]);
  });
});
