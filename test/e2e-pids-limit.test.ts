import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

const FAKE_LIMIT = path.join(REPO_ROOT, 'test/support/fake-pids-limit.mjs');
const REPORT_AT_EXIT = path.join(REPO_ROOT, 'test/support/report-at-exit.mjs');
/** Node 24's threads before its pool starts (named; no `libuv-worker` yet): 7, as under `docker run --pids-limit`. */
const NODE24_BEFORE_POOL = 'MainThread,V8Worker,V8Worker,SignalInspector,DelayedTaskSche,V8Worker,V8Worker';

/**
 * cli.ts's first step under a process limit (process/thread-room.ts): the pool made to fit, or exit 74 with the line
 * that names --pids-limit. thread-room.test.ts tests the reading and the sums; this, what the program does with them.
 * The cgroup's files and the thread names are faked in the child (test/support/fake-pids-limit.mjs): no Docker, no root.
 */
describe('a process limit the thread pool must fit in', () => {
  const temp = useTempDir();
  const run = (args: string[], pids: string, extra: Record<string, string> = {}) =>
    runCli(args, { cwd: temp.path('.'), env: { NODE_OPTIONS: `--import ${FAKE_LIMIT} --import ${REPORT_AT_EXIT}`, SB_TEST_PIDS: pids, SB_TEST_REPORT_FILE: temp.path('report.json'), ...extra } });
  /** UV_THREADPOOL_SIZE as the process's environment held it at its exit (Node's diagnostic report). */
  const poolSizeAtExit = (): string | undefined =>
    (JSON.parse(readFileSync(temp.path('report.json'), 'utf8')) as { environmentVariables: Record<string, string> }).environmentVariables.UV_THREADPOOL_SIZE;

  it('not one thread free, the pool not started: exit 74 naming the limit, before anything is read or written', async () => {
    const input = temp.file('in.csv', 'id,text\n1,great\n');
    const r = await run(['score', input, '-o', temp.path('out.csv'), '--backend', 'embedded'], '7 7', { SB_TEST_THREAD_NAMES: NODE24_BEFORE_POOL });
    expect(r.code).toBe(74);
    expect(r.stderr.trim()).toBe(
      'sentiment-batch: too few threads allowed: the process limit of this container or cgroup (pids.max 7) is used up by the 7 running, and Node needs at least 1 more for its file reads (4 by default); raise it (docker run --pids-limit, at least 8, 11 and up for the default pool; Kubernetes podPidsLimit), then run the same command again',
    );
    expect(existsSync(temp.path('out.csv'))).toBe(false);
    expect(existsSync(temp.path('out.csv.checkpoint.json'))).toBe(false);
  });

  it('three threads free: the pool is made of 3 (UV_THREADPOOL_SIZE) and the run completes', async () => {
    const input = temp.file('in.csv', 'id,text\n1,great\n2,awful\n');
    const r = await run(['score', input, '-o', temp.path('out.csv'), '--backend', 'embedded'], '10 7');
    expect(r.code, r.stderr).toBe(0);
    expect(poolSizeAtExit()).toBe('3');
    expect(readFileSync(temp.path('out.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('a pool asked smaller than the room is left as asked, never raised', async () => {
    const r = await run(['--version'], '10 7', { UV_THREADPOOL_SIZE: '2' });
    expect(r.code, r.stderr).toBe(0);
    expect(poolSizeAtExit()).toBe('2');
  });

  it("no thread free where the pool may already run (Node 20's threads are all named node): not refused", async () => {
    const r = await run(['--version'], '11 11', { SB_TEST_THREAD_NAMES: Array.from({ length: 11 }, () => 'node').join(',') });
    expect(r.code, r.stderr).toBe(0);
    expect(poolSizeAtExit()).toBeUndefined();
  });

  it('no thread free and the thread names unreadable (no /proc): not refused, as the pool may already run', async () => {
    const r = await run(['--version'], '7 7', { SB_TEST_THREAD_NAMES: 'unreadable' });
    expect(r.code, r.stderr).toBe(0);
  });
});
