import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { spawnCli, tempDir, waitFor, type CliResult } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// ~260 requests at 3,000 a minute: a run lasts ~5 s, so a second run started 3 s later overlaps it (rows cost
// CPU, waiting for the rate does not).
const ROWS = 300;
const LOCKED = 75;

interface Timed extends CliResult {
  /** When the process ended (Date.now()). */
  endedAt: number;
}

describe('one writer per output', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let otherInput: string;
  let reference: Buffer;
  let loneRequests: number;
  const servers: RunningServer[] = [];

  const newServer = async (): Promise<RunningServer> => {
    const server = await startServer({ scorer: new TestScorer(), latency: '1-5ms' });
    servers.push(server);
    return server;
  };
  const env = (server: RunningServer) => workersAiEnv(server);
  const args = (from: string, output: string) => ['score', from, '--text-column', 'review', '-o', output, '--rpm', '3000', '--checkpoint-interval', '200ms'];
  const run = (server: RunningServer, from: string, output: string): Promise<Timed> => {
    return spawnCli(args(from, output), { env: env(server) }).result.then((result) => ({ ...result, endedAt: Date.now() }));
  };
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The pid the lock on `output` names, once there is one whose owner file can be read. */
  const lockOwnerPid = (output: string): number | undefined => {
    try {
      return (JSON.parse(readFileSync(path.join(`${output}.lock`, 'owner.json'), 'utf8')) as { pid: number }).pid;
    } catch {
      return undefined;
    }
  };

  /**
   * Two runs on one output, `second` started `apartMs` after the first: once one holds the lock it is frozen (SIGSTOP)
   * until the other has ended, then let go on. The other must be refused at once (its holder is a live process of this
   * host): it ends while the holder cannot move, which no machine's load can reorder, where a run that waited for the
   * lock would wait for as long as the holder stays frozen (for ever here, the test's timeout). Returns both results
   * and whether the other ended while the holder was frozen and alive.
   */
  const frozenHolder = async (server: RunningServer, apartMs: number, second: string, output: string) => {
    const first = spawnCli(args(input, output), { env: env(server) });
    await delay(apartMs);
    const later = spawnCli(args(second, output), { env: env(server) });
    // On a failure (a run that waits for the frozen holder), neither is left behind, stopped or waiting.
    onTestFinished(() => [first, later].forEach((child) => child.kill('SIGKILL')));
    await waitFor(() => lockOwnerPid(output) !== undefined, 60_000, 'a run holding the lock');
    const [holder, other] = lockOwnerPid(output) === first.pid ? [first, later] : [later, first];
    expect(lockOwnerPid(output)).toBe(holder.pid);
    holder.kill('SIGSTOP');
    let otherResult: CliResult;
    let endedWhileFrozen: boolean;
    try {
      otherResult = await other.result;
      endedWhileFrozen = holder.exitCode === null && holder.signalCode === null;
    } finally {
      holder.kill('SIGCONT');
    }
    const holderResult = await holder.result;
    const results = holder === first ? [holderResult, otherResult] : [otherResult, holderResult];
    return { results, endedWhileFrozen };
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(ROWS));
    otherInput = path.join(dir, 'other.csv');
    writeFileSync(otherInput, syntheticCsv(ROWS, { marker: (i) => ` other ${i}` }));
    const server = await newServer();
    const lone = await run(server, input, path.join(dir, 'lone.csv'));
    expect(lone.code).toBe(0);
    reference = readFileSync(path.join(dir, 'lone.csv'));
    loneRequests = server.stats().total;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    cleanup();
  });

  /** Starts two runs `apartMs` apart on one output, each against its own server; returns both and the requests sent. */
  const overlap = async (apartMs: number, second: string) => {
    const server = await newServer();
    const output = path.join(dir, `overlap-${apartMs}-${path.basename(second)}`);
    const { results, endedWhileFrozen } = await frozenHolder(server, apartMs, second, output);
    return { results, endedWhileFrozen, requests: server.stats().total, output };
  };

  const expectOneRefused = (results: CliResult[], endedWhileFrozen: boolean) => {
    const refused = results.filter((r) => r.code === LOCKED);
    const done = results.filter((r) => r.code === 0);
    expect(refused).toHaveLength(1);
    expect(done).toHaveLength(1);
    const [loser] = refused as [CliResult];
    // Refused at once, not after waiting for the lock: it ended while the winner, frozen, still held it (an order no
    // load can change; it was the order of two end times, which a loaded machine could swap, and a duration before).
    expect(endedWhileFrozen).toBe(true);
    // One line naming the holder; no stack trace.
    expect(loser.stderr).toMatch(/^sentiment-batch: another run is writing .* \(host .+, pid \d+, since \d{4}-\d\d-\d\dT[^)]+\); try again later/);
    expect(loser.stderr.trim().split('\n')).toHaveLength(1);
  };

  it('runs started 0, 1 and 3 s apart: one refuses with exit 75, the other writes the lone run\'s bytes with its requests', async () => {
    // One after the other: six CLI processes at once on a small machine would slow every start past the point.
    for (const apart of [0, 1000, 3000]) {
      const { results, endedWhileFrozen, requests, output } = await overlap(apart, input);
      expectOneRefused(results, endedWhileFrozen);
      expect(readFileSync(output).equals(reference)).toBe(true);
      expect(Math.abs(requests - loneRequests)).toBeLessThanOrEqual(Math.ceil(loneRequests * 0.02));
      expect(existsSync(`${output}.lock`)).toBe(false);
    }
  });

  it('two different inputs with one -o: the second refuses, the output is the first input\'s alone', async () => {
    const server = await newServer();
    const output = path.join(dir, 'other-input-same-output.csv');
    const first = spawnCli(args(input, output), { env: env(server) });
    // The second starts once the first holds the lock: on a loaded machine a fixed delay can let it start first.
    await waitFor(() => lockOwnerPid(output) === first.pid, 60_000, 'the first run\'s lock');
    // Frozen until the second has ended (see frozenHolder).
    first.kill('SIGSTOP');
    const later = spawnCli(args(otherInput, output), { env: env(server) });
    onTestFinished(() => [first, later].forEach((child) => child.kill('SIGKILL')));
    let second: CliResult;
    let endedWhileFrozen: boolean;
    try {
      second = await later.result;
      endedWhileFrozen = first.exitCode === null && first.signalCode === null;
    } finally {
      first.kill('SIGCONT');
    }
    const results = [await first.result, second];
    const requests = server.stats().total;
    expectOneRefused(results, endedWhileFrozen);
    expect(results[0]?.code).toBe(0);
    expect(readFileSync(output).equals(reference)).toBe(true);
    expect(Math.abs(requests - loneRequests)).toBeLessThanOrEqual(Math.ceil(loneRequests * 0.02));
  });

  it('a holder killed with -9 is taken over by the next run at once, without clean-up', async () => {
    const server = await newServer();
    const output = path.join(dir, 'killed.csv');
    const child = spawnCli(args(input, output), { env: env(server) });
    await waitFor(() => existsSync(`${output}.checkpoint.json`), 60_000, 'the first checkpoint');
    child.kill('SIGKILL');
    expect((await child.result).signal).toBe('SIGKILL');
    expect(existsSync(`${output}.lock`)).toBe(true);
    const next = await run(server, input, output);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/took over the lock of a run that is gone/);
    expect(readFileSync(output).equals(reference)).toBe(true);
  });

  /** A lock left by a run on another host (a container sharing the volume): its pid means nothing here. */
  const plantForeignLock = (output: string, heartbeatAgeMs: number) => {
    const lock = `${output}.lock`;
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ tool: 'sentiment-batch', host: 'other-host', pid: 1, since: '2026-12-01T03:00:00.000Z' }));
    const at = new Date(Date.now() - heartbeatAgeMs);
    utimesSync(lock, at, at);
  };

  /** Refreshes a planted lock's mtime every second, as a live holder does every 5 s. */
  const beatHeart = (output: string) => {
    const timer = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(`${output}.lock`, now, now);
      } catch {
        // taken over meanwhile
      }
    }, 1000);
    return () => clearInterval(timer);
  };

  it('a lock from another host with a live heartbeat refuses; a stale one is taken over', async () => {
    const server = await newServer();
    const fresh = path.join(dir, 'foreign-fresh.csv');
    plantForeignLock(fresh, 0);
    // Live: its holder refreshes the heartbeat, which a run that cannot check the holder's pid waits to see.
    const stopBeat = beatHeart(fresh);
    const refused = await run(server, input, fresh).finally(stopBeat);
    expect(refused.code).toBe(LOCKED);
    expect(refused.stderr).toMatch(/host other-host, pid 1, since 2026-12-01T03:00:00.000Z/);
    expect(existsSync(fresh)).toBe(false);
    expect(server.stats().total).toBe(0);

    const stale = path.join(dir, 'foreign-stale.csv');
    plantForeignLock(stale, 60_000);
    const taken = await run(server, input, stale);
    expect(taken.code).toBe(0);
    expect(taken.stderr).toMatch(/took over the lock of a run silent for over 30 s/);
    expect(readFileSync(stale).equals(reference)).toBe(true);
    expect(existsSync(`${stale}.lock`)).toBe(false);
  });

  // A container killed with -9 (docker kill, the OOM killer) leaves a fresh lock that nobody refreshes; its
  // replacement has another host name, so it cannot ask for the pid: it watches the heartbeat instead of exiting 75.
  it('a fresh lock from another host that is never refreshed is waited for, saying so, and taken over once silent for 30 s', async () => {
    const server = await newServer();
    const output = path.join(dir, 'foreign-killed.csv');
    plantForeignLock(output, 0);
    const started = Date.now();
    const taken = await run(server, input, output);
    expect(taken.code).toBe(0);
    expect(taken.endedAt - started).toBeGreaterThanOrEqual(29_000);
    // The seconds left are counted from the lock's age when the run reads it: a start-up slowed by a loaded machine reads a lower number.
    expect(taken.stderr).toMatch(/another run holds the lock \(host other-host, pid 1\) and cannot be checked from here \(another host or container\); watching its heartbeat for up to (2[0-9]|30) s/);
    expect(taken.stderr).toMatch(/took over the lock of a run silent for over 30 s/);
    expect(readFileSync(output).equals(reference)).toBe(true);
    expect(existsSync(`${output}.lock`)).toBe(false);
  });
});
