import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/server/faults.js';
import { MODEL_ID, resolveFaults, type RunningServer } from '../src/server/index.js';
import { useTestServer } from './support/server.js';

const { start } = useTestServer();

function runUrl(s: RunningServer): string {
  return `${s.baseURL}/accounts/acc-1/ai/run/${MODEL_ID}`;
}

/** One request, summarised: '200', '500:3043', 'dropped', 'malformed', 'truncated'. */
async function outcome(s: RunningServer, text = 'good', extra: { headersTimeout?: number } = {}): Promise<string> {
  let res;
  try {
    res = await request(runUrl(s), { method: 'POST', body: JSON.stringify({ text }), ...extra });
  } catch (error) {
    return (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no-answer' : 'dropped';
  }
  let raw: string;
  try {
    raw = await res.body.text();
  } catch {
    return 'truncated';
  }
  let json: any;
  try {
    json = JSON.parse(raw);
  } catch {
    return 'malformed';
  }
  if (res.statusCode === 200) {
    expect(json.success).toBe(true);
    return '200';
  }
  const retryAfter = res.headers['retry-after'];
  return `${res.statusCode}:${json.errors[0].code}${retryAfter === undefined ? '' : `:retry-after=${retryAfter}`}`;
}

async function sequence(s: RunningServer, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push(await outcome(s, `text ${i}`));
  return out;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('random faults', () => {
  it('failRate answers 500 code 3043', async () => {
    const s = await start({ failRate: 1 });
    expect(await sequence(s, 3)).toEqual(['500:3043', '500:3043', '500:3043']);
  });

  it('dropRate destroys the connection without an answer', async () => {
    const s = await start({ dropRate: 1 });
    expect(await outcome(s)).toBe('dropped');
    expect(s.stats().byOutcome.dropped).toBe(1);
    expect(s.stats().byStatus).toEqual({});
  });

  it('malformedRate answers 200 with a body that is not JSON', async () => {
    const s = await start({ malformedRate: 1 });
    expect(await outcome(s)).toBe('malformed');
    expect(s.stats().byStatus).toEqual({ '200': 1 });
    expect(s.stats().byOutcome.malformed).toBe(1);
  });

  it('truncateRate answers 200 with JSON cut short, with both framings', async () => {
    const s = await start({ truncateRate: 1, seed: 7 });
    const framings = new Set<string>();
    for (let i = 0; i < 12; i += 1) {
      const res = await request(runUrl(s), { method: 'POST', body: JSON.stringify({ text: 'good' }) });
      expect(res.statusCode).toBe(200);
      framings.add(res.headers['content-length'] === undefined ? 'chunked' : 'content-length');
      await expect(res.body.text()).rejects.toThrow();
    }
    expect(framings).toEqual(new Set(['chunked', 'content-length']));
    expect(s.stats().byOutcome.truncated).toBe(12);
    expect(s.stats().tokens).toBe(0); // only whole answers are charged
  });

  it('hangRate never answers; close() ends the held connection', async () => {
    const s = await start({ hangRate: 1 });
    expect(await outcome(s, 'good', { headersTimeout: 200 })).toBe('no-answer');
    const pending = outcome(s);
    await until(() => s.stats().hanging === 1);
    expect(s.stats().byOutcome.hung).toBe(2);
    await s.close();
    expect(await pending).toBe('dropped');
  });

  it('capacity bursts answer runs of 429 code 3040 of the configured length', async () => {
    const s = await start({ capacityBurstRate: 0.1, capacityBurstLength: 4, seed: 3 });
    const out = await sequence(s, 80);
    expect(new Set(out)).toEqual(new Set(['200', '429:3040']));
    const runs = out.join(',').split('200').map((run) => run.split(',').filter(Boolean).length).filter((n) => n > 0);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run % 4).toBe(0); // bursts may follow one another, never cut short
  });

  it('adds latency before answering; close() cancels answers still waiting', async () => {
    const s = await start({ latency: '30s' });
    expect(await outcome(s, 'good', { headersTimeout: 300 })).toBe('no-answer');
    expect(s.stats().inFlight).toBe(1); // still waiting out its latency
    await s.close(); // resolves without waiting 30 s
    expect(s.stats().byStatus).toEqual({});
  });

  it('draws latencies uniformly within the range', () => {
    const injector = new FaultInjector(resolveFaults({ latency: '80-250ms', seed: 9 }));
    const latencies = Array.from({ length: 2000 }, () => injector.decide().latencyMs);
    expect(Math.min(...latencies)).toBe(80);
    expect(Math.max(...latencies)).toBe(250);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    expect(mean).toBeGreaterThan(155);
    expect(mean).toBeLessThan(175);
  });

  it('gives the same outcomes for the same seed, and different ones for another seed', async () => {
    const faults = { latency: '1-5ms', failRate: 0.2, dropRate: 0.1, malformedRate: 0.1, truncateRate: 0.1, capacityBurstRate: 0.05, capacityBurstLength: 2 };
    const first = await start({ ...faults, seed: 42 });
    const a = await sequence(first, 60);
    expect(new Set(a)).toEqual(new Set(['200', '500:3043', 'dropped', 'malformed', 'truncated', '429:3040']));
    first.reset(); // restarts the generator from the seed
    expect(await sequence(first, 60)).toEqual(a);
    await first.close();

    const same = await start({ ...faults, seed: 42 });
    expect(await sequence(same, 60)).toEqual(a);
    same.setFaults({ ...faults, seed: 43 });
    expect(await sequence(same, 60)).not.toEqual(a);
  });
});

describe('scripted answers', () => {
  it('rules answer by text, after input validation', async () => {
    const s = await start({
      rules: [
        { textIncludes: 'BADROW', respond: { status: 400, code: 5006, message: 'AiError: Bad input: scripted' } },
        { textEquals: 'drop me', respond: { drop: true } },
        { textIncludes: 'SLOW', respond: { status: 200, delayMs: 5 } },
      ],
      failRate: 1,
    });
    expect(await outcome(s, 'a BADROW here')).toBe('400:5006');
    expect(await outcome(s, 'drop me')).toBe('dropped');
    expect(await outcome(s, 'SLOW but fine')).toBe('200'); // a scripted 200 skips random faults
    expect(await outcome(s, 'anything else')).toBe('500:3043');
  });

  it('POST /__control/next queues forced answers, consumed one per request in order', async () => {
    const s = await start();
    const queued = await request(`${s.url}/__control/next`, {
      method: 'POST',
      body: JSON.stringify([{ status: 500 }, { drop: true }, { status: 429, code: 3040, retryAfter: 2 }, { malformed: true }, { truncate: true }, { hang: true }]),
    });
    expect(await queued.body.json()).toEqual({ ok: true, queued: 6 });
    expect(s.stats().queuedForcedAnswers).toBe(6);
    expect(await outcome(s)).toBe('500:3043');
    expect(await outcome(s)).toBe('dropped');
    expect(await outcome(s)).toBe('429:3040:retry-after=2');
    expect(await outcome(s)).toBe('malformed');
    expect(await outcome(s)).toBe('truncated');
    expect(await outcome(s, 'good', { headersTimeout: 200 })).toBe('no-answer');
    expect(await outcome(s)).toBe('200');
    expect(s.stats().queuedForcedAnswers).toBe(0);
  });

  it('forced answers take precedence over rate limits and bad input', async () => {
    const s = await start({ rpm: 1 });
    s.enqueue([{ status: 503 }]);
    const res = await request(runUrl(s), { method: 'POST', body: 'not json' });
    expect(res.statusCode).toBe(503);
    await res.body.dump();
    expect(await outcome(s)).toBe('200');
    expect(await outcome(s)).toMatch(/^429:3021/);
  });

  it('a forced answer with only a status carries the message the real answer with that code has', async () => {
    const s = await start();
    s.enqueue([{ status: 404 }, { status: 404, code: 7001 }]);
    const messages: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await request(runUrl(s), { method: 'POST', body: JSON.stringify({ text: 'good' }) });
      const json = (await res.body.json()) as any;
      messages.push(`${res.statusCode}:${json.errors[0].code}:${json.errors[0].message}`);
    }
    // The route's own 404 says 'No route for that URI'; a scripted one must not read 'Internal server error'.
    expect(messages).toEqual(['404:7000:No route for that URI', '404:7001:Method not allowed']);
  });

  it('rejects an invalid control body with 400 and a message', async () => {
    const s = await start();
    const res = await request(`${s.url}/__control/next`, { method: 'POST', body: JSON.stringify([{ status: 500, dorp: true }]) });
    expect(res.statusCode).toBe(400);
    const json = (await res.body.json()) as any;
    expect(json.errors[0].message).toContain("unknown key 'dorp' (did you mean drop?)");
    expect(s.stats().queuedForcedAnswers).toBe(0);
  });

  it('POST /__control/faults replaces the fault settings', async () => {
    const s = await start();
    const set = await request(`${s.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ failRate: 1, seed: 5 }) });
    expect(set.statusCode).toBe(200);
    await set.body.dump();
    expect(await outcome(s)).toBe('500:3043');
    const got = (await (await request(`${s.url}/__control/faults`)).body.json()) as any;
    expect(got).toMatchObject({ failRate: 1, seed: 5, dropRate: 0 });
    const bad = await request(`${s.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ failRate: 'often' }) });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as any).errors[0].message).toContain("failRate expects a number between 0 and 1, got 'often'");
  });
});

describe('fault settings past the longest timer', () => {
  it('refuses a latency or an answer delay Node.js would fire at once', () => {
    expect(() => resolveFaults({ latency: '2147483648ms' })).toThrow(/latency expects at most 2147483647 ms/);
    expect(() => resolveFaults({ rules: [{ textIncludes: 'x', respond: { status: 200, delayMs: 3_000_000_000 } }] })).toThrow(/delayMs expects at most 2147483647/);
    expect(() => resolveFaults({ latency: '2147483647ms' })).not.toThrow();
  });
});
