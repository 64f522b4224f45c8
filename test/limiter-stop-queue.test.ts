import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '../src/scoring/limiter.js';
import { sharedOverLocal } from './support/shared-limiter-fixture.js';

/**
 * A stop with thousands of rows queued (`--concurrency 2500` reads 20,000 ahead): bottleneck takes each job in one at a
 * time, a timer's turn each (~1.3 ms, NOTES-lowfix61), and its own stop waited behind all of them: a Ctrl-C of such a
 * run took 27 s to exit (2026-12-07, against `serve`, 40,000 rows). The stop waits for the request in flight only.
 */
describe('RequestLimiter.stop with a large queue', () => {
  it('returns once the request in flight ends, not after every queued row was taken in; every queued row is dropped, none sent', async () => {
    const limiter = new RequestLimiter({ rpm: 60, concurrency: 1 });
    const waiting = new AbortController();
    let sent = 0;
    let answer: (() => void) | undefined;
    const inFlight = limiter.schedule(() => {
      sent += 1;
      return new Promise<string>((resolve) => (answer = () => resolve('answered')));
    }, waiting.signal);
    const queued = Array.from({ length: 5_000 }, () =>
      limiter.schedule(async () => {
        sent += 1;
        return 'sent';
      }, waiting.signal).then(
        () => 'sent',
        (error: Error) => error.message,
      ),
    );
    while (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
    waiting.abort();
    const started = performance.now();
    let stopped = false;
    const stopping = limiter.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The request in flight is waited for: its answer is kept (the journal, the output).
    expect(stopped).toBe(false);
    answer();
    await stopping;
    // 5,000 jobs took bottleneck over 5 s to take in before (at least a timer's turn, 1 ms, each).
    expect(performance.now() - started).toBeLessThan(2_000);
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
    while (sent === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await limiter.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
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
