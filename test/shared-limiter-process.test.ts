/**
 * The Redis-shared rate limit across real processes (skipped when
 * redis-server is not installed): two processes of one account never go
 * faster together than the rpm, and the running jobs of a process killed with
 * SIGKILL are released once their expiration passes.
 *
 * The children run the real src/scoring/shared-limiter.ts, transpiled (types
 * stripped, nothing else) into a temp folder, because Node 20 cannot import
 * TypeScript directly.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLine, startChild as startScript, type LineChild } from './support/child.js';
import { allowedInWindow, maxInWindow } from './support/windows.js';
import { transpiledChildFolder } from './support/transpile.js';
import { createSharedBottleneck } from '../src/scoring/shared-limiter.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, TestRedis } from './support/redis.js';

const MODEL = '@cf/huggingface/distilbert-sst-2-int8';
const RPM = 600; // one start per ~100 ms for the whole group

const CHILD = `
import { createInterface } from 'node:readline';
import { createSharedBottleneck } from './src/scoring/shared-limiter.js';
const [mode, redisUrl, accountId, countArg, extraArg] = process.argv.slice(2);
const count = Number(countArg);
if (mode === 'rate') {
  // Waits for "go" on stdin so that both children start together, then runs count jobs.
  const limiter = await createSharedBottleneck({ redisUrl, accountId, model: ${JSON.stringify(MODEL)}, rpm: ${RPM}, concurrency: Number(extraArg) });
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
  await Promise.all(Array.from({ length: count }, () => limiter.schedule(async () => {
    console.log('start ' + Date.now());
    await new Promise((r) => setTimeout(r, 20));
  })));
  await limiter.stop();
  console.log('done');
} else if (mode === 'hang') {
  // Starts count jobs that never finish, then waits to be killed.
  const limiter = await createSharedBottleneck({ redisUrl, accountId, model: ${JSON.stringify(MODEL)}, rpm: ${RPM}, concurrency: count, jobExpirationMs: Number(extraArg) });
  let started = 0;
  for (let i = 0; i < count; i++) limiter.schedule(() => { if (++started === count) console.log('started'); return new Promise(() => {}); });
  setInterval(() => {}, 60_000);
}
`;

let work: string;

/** The child script written into `work` by the set-up. */
const startChild = (args: string[]): LineChild => startScript(path.join(work, 'child.mjs'), args);





/** Reads `start <ms>` lines until `done`. */
async function collectStarts(lines: AsyncIterator<string>): Promise<number[]> {
  const starts: number[] = [];
  for (let line = await nextLine(lines, 'done'); line !== 'done'; line = await nextLine(lines, 'done')) {
    if (line.startsWith('start ')) starts.push(Number(line.slice('start '.length)));
  }
  return starts;
}


describe.skipIf(!REDIS_SERVER)(`shared rate limit across processes (${REDIS_SKIP_REASON})`, () => {
  let redis: TestRedis;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    work = transpiledChildFolder('sb-shared-proc-', 'src/scoring/shared-limiter.ts', { 'child.mjs': CHILD });
    redis = await TestRedis.start();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await redis?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('two processes of one account never go faster together than the rpm, and each gets a share', async () => {
    const accountId = `proc-${Date.now()}`;
    const a = startChild(['rate', redis.url, accountId, '25', '4']);
    const b = startChild(['rate', redis.url, accountId, '25', '4']);
    children.push(a.child, b.child);
    expect(await nextLine(a.lines, 'ready')).toBe('ready');
    expect(await nextLine(b.lines, 'ready')).toBe('ready');
    a.child.stdin?.write('go\n');
    b.child.stdin?.write('go\n');
    const [startsA, startsB] = await Promise.all([collectStarts(a.lines), collectStarts(b.lines)]);

    expect(startsA).toHaveLength(25);
    expect(startsB).toHaveLength(25);
    const all = [...startsA, ...startsB];
    // 3 s at 10 starts/s is 30 starts (+1 at the window's edge); starts recorded up to 300 ms late on
    // a loaded machine may add 3 more. Two processes that did not share the rate would put ~60 there.
    expect(maxInWindow(all, 3_000)).toBeLessThanOrEqual(allowedInWindow(3_000, 100, 300));
    // Fair share: while both were busy (the first 30 starts), each got a fair part of them.
    const firstThirty = [...all].sort((x, y) => x - y).slice(0, 30);
    const fromA = firstThirty.filter((t) => startsA.includes(t)).length;
    expect(fromA).toBeGreaterThanOrEqual(10);
    expect(fromA).toBeLessThanOrEqual(20);
  });

  it("releases the running jobs of a process killed with SIGKILL once their expiration passes", async () => {
    const accountId = `kill-${Date.now()}`;
    const observer = await createSharedBottleneck({ redisUrl: redis.url, accountId, model: MODEL, rpm: RPM, concurrency: 2 });
    try {
      const hung = startChild(['hang', redis.url, accountId, '3', '5000']);
      children.push(hung.child);
      expect(await nextLine(hung.lines, 'started')).toBe('started');
      expect(await observer.groupRunning()).toBe(3);

      const exited = new Promise((resolve) => hung.child.once('exit', resolve));
      hung.child.kill('SIGKILL');
      await exited;
      // Without an expiration the dead process's jobs would count as running forever.
      await expect.poll(() => observer.groupRunning(), { timeout: 20_000, interval: 500 }).toBe(0);
      // The group still works for the survivors.
      expect(await observer.schedule(async () => 'after')).toBe('after');
    } finally {
      await observer.stop();
    }
  });
});
