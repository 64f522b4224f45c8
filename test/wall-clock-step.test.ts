import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { OutputFile } from '../src/io/output-file.js';
import type { RowResult } from '../src/job/dedupe.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { runPipeline, type Position } from '../src/job/pipeline.js';
import { StopController } from '../src/job/stop.js';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { RedisOutageWatch } from '../src/scoring/redis-connection.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';

// The wall clock set back mid-run (NTP stepping a drifted clock, an operator's `date -s`): the intervals a run keeps
// (checkpoint every --checkpoint-interval, the rate limiter's recovery after a 429) are elapsed time, not dates.

const HOUR = 3_600_000;
const scored: RowResult = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };

async function* records(count: number): AsyncGenerator<InputRecord> {
  for (let i = 0; i < count; i++) yield { index: i, byteEnd: (i + 1) * 10, text: { ok: true, value: `text ${i}` }, raw: `${i}` };
}

describe('a wall clock set back by an hour mid-run', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('keeps checkpointing every interval: the rows written after the step are made durable, not only at the end', async () => {
    const realNow = Date.now.bind(Date);
    let setBack = false;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - (setBack ? HOUR : 0));
    const output = await OutputFile.create(path.join(dir, 'out'));
    const checkpoints: Position[] = [];
    await runPipeline({
      records: records(60),
      score: async (text) => {
        if (text === 'text 5') setBack = true;
        await new Promise((r) => setTimeout(r, 10));
        return scored;
      },
      format: (record, outcome) => `${record.index}:${outcome.kind}\n`,
      output,
      stop: new StopController(),
      guard: new ErrorGuard(undefined, 0.5),
      totals: emptyTotals(),
      position: { inputOffset: 0, outputBytes: 0, nextIndex: 0 },
      window: 1,
      checkpointIntervalMs: 50,
      checkpoint: async (position) => {
        checkpoints.push({ ...position });
      },
      graceMs: 200,
    });
    await output.close();
    // 60 rows of at least 10 ms each, one at a time: over 600 ms, a checkpoint every 50 ms of it.
    expect(checkpoints.filter((c) => c.nextIndex > 10).length).toBeGreaterThanOrEqual(5);
  });

  it('the rate limiter slowed by a 429 recovers its rate within seconds, not an hour later', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const realNow = Date.now.bind(Date);
    let setBack = false;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - (setBack ? HOUR : 0));
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4 });
    limiter.slowDown();
    expect(limiter.speed).toBeCloseTo(1 / 1.5, 10);
    setBack = true;
    vi.advanceTimersByTime(12_000);
    expect(limiter.speed).toBe(1);
    await limiter.stop();
  });

  // bottleneck dates each start by Date.now(): set back an hour, its next start was an hour "ahead", so every row
  // waited until the clock caught up (faketime: 57 requests, then none for the 6 minutes watched, against `serve`).
  it('the rate limiter goes on starting requests after the clock is set back, not an hour later', async () => {
    const realNow = Date.now.bind(Date);
    let setBack = false;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - (setBack ? HOUR : 0));
    const limiter = new RequestLimiter({ rpm: 600_000, concurrency: 2 });
    await limiter.schedule(async () => 'before');
    setBack = true;
    const after = Promise.all(Array.from({ length: 5 }, (_, i) => limiter.schedule(async () => i)));
    const late = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000));
    expect(await Promise.race([after, late])).toEqual([0, 1, 2, 3, 4]);
    await limiter.stop();
  });

  it('a Redis lost for longer than its limit pauses the job then, not an hour later', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const realNow = Date.now.bind(Date);
    let setBack = false;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - (setBack ? HOUR : 0));
    const client = new EventEmitter();
    const gaveUp: string[] = [];
    new RedisOutageWatch(client as never, { url: 'redis://127.0.0.1:6379', limitMs: 120_000, warnEveryMs: 15_000, onGiveUp: (error) => gaveUp.push(error.message) });
    client.emit('ready');
    client.emit('close');
    setBack = true;
    vi.advanceTimersByTime(135_000);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/unreachable for 1[23]\d s/);
  });
});
