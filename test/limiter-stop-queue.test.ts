import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { sharedOverLocal } from './support/shared-limiter-fixture.js';

/**
 * A stop with thousands of rows queued (`--concurrency 2500` reads 20,000 ahead): bottleneck takes each job in one at a
 * time, a timer's turn each (~1.3 ms, NOTES-lowfix61), and its own stop waited behind all of them: a Ctrl-C of such a
 * run took 27 s to exit (2026-12-07, against `serve`, 40,000 rows). The stop waits for the request in flight only.
 * Asserted on a clock that stands still (setTimeout faked, never advanced while the stop is awaited): a stop that waits
 * for any timer's turn never returns, however fast the machine; how long a stop takes is bench/stop-queue.ts's figure.
 */
// setTimeout alone: setImmediate stays real, the turns of the event loop the assertions give the stop.
const STILL_CLOCK = { toFake: ['setTimeout', 'clearTimeout'], loopLimit: 100_000 } as Parameters<typeof vi.useFakeTimers>[0];

/** Lets the event loop go round `count` times (promises, I/O, setImmediate): no timer fires on the faked clock. */
async function loopTurns(count = 20): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('RequestLimiter.stop with a large queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns once the request in flight ends, with no timer\'s turn for the queued rows; every queued row is dropped, none sent', async () => {
    const limiter = new RequestLimiter({ rpm: 60, concurrency: 1 });
    const waiting = new AbortController();
    let sent = 0;
    let answer: (() => void) | undefined;
    const inFlight = limiter.schedule(() => {
      sent += 1;
      return new Promise<string>((resolve) => (answer = () => resolve('answered')));
    }, waiting.signal);
    const queued = Array.from({ length: 1_000 }, () =>
      limiter.schedule(async () => {
        sent += 1;
        return 'sent';
      }, waiting.signal).then(
        () => 'sent',
        (error: Error) => error.message,
      ),
    );
    while (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
    // From here bottleneck takes no queued job in (each waits for a timer: LocalDatastore.yieldLoop's setTimeout 0),
    // thousands of them still to come.
    vi.useFakeTimers(STILL_CLOCK);
    waiting.abort();
    let stopped = false;
    const stopping = limiter.stop().then(() => (stopped = true));
    await loopTurns();
    // The request in flight is waited for: its answer is kept (the journal, the output).
    expect(stopped).toBe(false);
    answer();
    await loopTurns();
    // Before: the stop came only after bottleneck took every queued job in, a timer's turn each (5,000 took over 5 s);
    // on the standing clock, never: so any number queued shows it, 1,000 here.
    expect(stopped).toBe(true);
    await stopping;
    // The clock goes on: bottleneck drops what it takes in after its stop, and ends the request's job.
    await vi.runAllTimersAsync();
    expect(await inFlight).toBe('answered');
    const outcomes = await Promise.all(queued);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toEqual([]);
    expect(new Set(outcomes).size).toBe(1);
    expect(sent).toBe(1);
  });

  // A shared limit slowed by 3021s spaces its starts before the group's slot (SharedBottleneck.paceStarts): the rows
  // waiting there are executing as bottleneck counts them, and its stop waits for each. Left waiting, a stop took the
  // slowed spacing once for each of them.
  it('a shared limit slowed down: returns at once, not after the rows waiting in the slowed spacing took their turns', async () => {
    vi.useFakeTimers(STILL_CLOCK);
    const bottleneck = sharedOverLocal(600, 4);
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4, bottleneck });
    bottleneck.paceStarts(10_000);
    let sent = 0;
    const rows = Array.from({ length: 4 }, () =>
      limiter.schedule(async () => {
        sent += 1;
        return 'sent';
      }).then(
        (outcome) => outcome,
        (error: Error) => error.message,
      ),
    );
    // The first row goes at once; the three others wait 10 s apart.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toBe(1);
    let stopped = false;
    const stopping = limiter.stop().then(() => (stopped = true));
    await loopTurns();
    // Before: the stop came after the spacing's 10 s for each row waiting in it, which the standing clock never gives.
    expect(stopped).toBe(true);
    await stopping;
    await vi.runAllTimersAsync();
    expect(sent).toBe(1);
    expect((await Promise.all(rows)).filter((outcome) => outcome === 'sent')).toHaveLength(1);
  });

  // Shared, bottleneck's own stop closes the Redis connections (SharedBottleneck.stop): the stop returns once they are
  // closed, not as soon as no request is in flight (the process then exits with them open, QUIT unsent).
  it('a shared limit: returns once its connections are closed', async () => {
    let closed = false;
    const close = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      closed = true;
    };
    const limiter = new RequestLimiter({ rpm: 600, concurrency: 4, bottleneck: sharedOverLocal(600, 4, close) });
    expect(await limiter.schedule(async () => 'sent')).toBe('sent');
    await limiter.stop();
    expect(closed).toBe(true);
  });
});
