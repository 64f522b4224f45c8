import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_ID, startServer, type RunningServer, type ServerOptions } from '../src/server/index.js';
import { dailyNeuronsMessage } from '../src/server/envelope.js';
import { TestScorer } from './support/test-scorer.js';

let server: RunningServer | undefined;
/** A clock the tests move by hand: the 60 s window is real, sleeping through it is not. */
let clock = Date.UTC(2025, 0, 15, 12, 0, 0);

async function start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  server = await startServer({ scorer: new TestScorer(), now: () => clock, ...options });
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
  clock = Date.UTC(2025, 0, 15, 12, 0, 0);
});

async function run(s: RunningServer, text = 'good', account = 'acc-1') {
  const res = await request(`${s.baseURL}/accounts/${account}/ai/run/${MODEL_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as any };
}

describe('requests per minute', () => {
  it('answers 429 code 3021 with Retry-After once rpm requests are in the window', async () => {
    const s = await start({ rpm: 3 });
    for (let i = 0; i < 3; i += 1) expect((await run(s)).status).toBe(200);
    const limited = await run(s);
    expect(limited.status).toBe(429);
    expect(limited.json.success).toBe(false);
    expect(limited.json.errors[0].code).toBe(3021);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('counts Retry-After down to when the oldest admitted request leaves the window', async () => {
    const s = await start({ rpm: 2 });
    const t0 = clock;
    await run(s); // t0
    clock = t0 + 10_000;
    await run(s); // t0 + 10 s
    clock = t0 + 45_500;
    const limited = await run(s);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('15'); // 14.5 s rounded up
    clock = t0 + 59_999;
    expect((await run(s)).headers['retry-after']).toBe('1'); // never 0
    clock = t0 + 60_000; // the first request leaves the window
    expect((await run(s)).status).toBe(200);
    expect((await run(s)).status).toBe(429);
  });

  it('does not count rejected requests toward the window', async () => {
    const s = await start({ rpm: 1 });
    const t0 = clock;
    expect((await run(s)).status).toBe(200);
    for (let i = 1; i <= 5; i += 1) {
      clock = t0 + i * 10_000;
      expect((await run(s)).status).toBe(429);
    }
    clock = t0 + 60_000;
    expect((await run(s)).status).toBe(200);
    const stats = s.stats();
    expect(stats.maxInAnyWindow).toEqual({ windowMs: 60_000, all: 6, accepted: 1 });
    expect(stats.byCode).toEqual({ '3021': 5 });
    expect(stats.accounts['acc-1']).toMatchObject({ requests: 7, accepted: 2, ok: 2 });
  });

  it('limits each account separately', async () => {
    const s = await start({ rpm: 1 });
    expect((await run(s, 'good', 'a')).status).toBe(200);
    expect((await run(s, 'good', 'b')).status).toBe(200);
    expect((await run(s, 'good', 'a')).status).toBe(429);
  });
});

describe('daily neurons', () => {
  it('answers 429 code 4006 once the allocation is used up, and resets at 00:00 UTC', async () => {
    // 10 tokens ("good" x 8 + [CLS] + [SEP]) cost 0.02394 neurons; allow two requests' worth.
    const text = 'good '.repeat(8).trim();
    const s = await start({ dailyNeurons: 0.04 });
    expect((await run(s, text)).status).toBe(200);
    expect((await run(s, text)).status).toBe(200); // 0.02394 used < 0.04: still admitted
    const refused = await run(s, text);
    expect(refused.status).toBe(429);
    expect(refused.json.errors[0].code).toBe(4006);
    expect(refused.json.errors[0].message).toMatch(/^you have used up your daily free allocation of 0\.04 neurons/);
    expect(s.stats().neurons).toBeCloseTo((20 * 2394) / 1e6, 12);
    expect(s.stats().tokens).toBe(20);
    expect((await run(s, text, 'other-account')).status).toBe(200);

    clock = Date.UTC(2025, 0, 16, 0, 0, 0); // next UTC day
    expect((await run(s, text)).status).toBe(200);
  });

  it('formats the allocation like the real message', () => {
    expect(dailyNeuronsMessage(10_000)).toMatch(/^you have used up your daily free allocation of 10,000 neurons, please upgrade/);
    // The number as given (serve --daily-neurons 0.00001 said "allocation of 0 neurons": rounded to 3 places).
    expect(dailyNeuronsMessage(0.00001)).toMatch(/^you have used up your daily free allocation of 0\.00001 neurons, please upgrade/);
    expect(dailyNeuronsMessage(1e-7)).toMatch(/ allocation of 0\.0000001 neurons, /);
    expect(dailyNeuronsMessage(1234.56789)).toMatch(/ allocation of 1,234\.56789 neurons, /);
  });
});

describe('/__stats', () => {
  it('counts statuses, minutes and the most requests in any 60 s window from arrival times', async () => {
    const s = await start();
    const t0 = Date.UTC(2025, 0, 15, 12, 0, 0);
    // Arrivals at 0, 20, 40, 59.999 s (4 in one window), then 60, 61 s (the window slides: 0 s drops out).
    for (const at of [0, 20_000, 40_000, 59_999, 60_000, 61_000, 200_000]) {
      clock = t0 + at;
      await run(s);
    }
    const res = await request(`${s.url}/__stats`);
    const stats = (await res.body.json()) as any;
    expect(stats.total).toBe(7);
    expect(stats.byStatus).toEqual({ '200': 7 });
    expect(stats.byOutcome.ok).toBe(7);
    expect(stats.inFlight).toBe(0);
    // Windows (t-60 s, t]: at 61 s it holds 20, 40, 59.999, 60, 61 → 5.
    expect(stats.maxInAnyWindow).toEqual({ windowMs: 60_000, all: 5, accepted: 5 });
    expect(stats.perMinute).toEqual([
      { minute: '2025-01-15T12:00:00.000Z', requests: 4, accepted: 4 },
      { minute: '2025-01-15T12:01:00.000Z', requests: 2, accepted: 2 },
      { minute: '2025-01-15T12:03:00.000Z', requests: 1, accepted: 1 },
    ]);
    expect(stats.firstRequestAt).toBe('2025-01-15T12:00:00.000Z');
    expect(stats.lastRequestAt).toBe('2025-01-15T12:03:20.000Z');
    expect(stats.tokens).toBe(7 * 3);
  });

  it('POST /__reset clears stats and limits', async () => {
    const s = await start({ rpm: 1 });
    await run(s);
    expect((await run(s)).status).toBe(429);
    const reset = await request(`${s.url}/__reset`, { method: 'POST' });
    expect(reset.statusCode).toBe(200);
    await reset.body.dump();
    expect(s.stats().total).toBe(0);
    expect((await run(s)).status).toBe(200);
    expect(s.stats()).toMatchObject({ total: 1, byStatus: { '200': 1 } });
  });

  it('does not count control requests', async () => {
    const s = await start();
    await (await request(`${s.url}/__stats`)).body.dump();
    await (await request(`${s.url}/__health`)).body.dump();
    expect(s.stats().total).toBe(0);
  });
});
