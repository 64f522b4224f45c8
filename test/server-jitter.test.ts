import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { MODEL_ID } from '../src/server/index.js';
import { parseServeArgs } from '../src/server/serve-command.js';
import { useTestServer } from './support/server.js';

const { start } = useTestServer();

describe('arrival jitter', () => {
  it('holds each request back before it counts as arrived', async () => {
    const s = await start({ arrivalJitter: '150ms' });
    const sent = Date.now();
    const pending = request(`${s.baseURL}/accounts/a/ai/run/${MODEL_ID}`, { method: 'POST', body: '{"text":"good"}' });
    await new Promise((r) => setTimeout(r, 60));
    // Sent, but not yet arrived as the service counts arrivals.
    expect(s.stats().total).toBe(0);
    const res = await pending;
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(Date.parse(s.stats().firstRequestAt ?? '') - sent).toBeGreaterThanOrEqual(140);
  });

  it('is a serve flag, checked like --latency', () => {
    expect(parseServeArgs(['--arrival-jitter', '0-200ms']).server.arrivalJitter).toBe('0-200ms');
    expect(() => parseServeArgs(['--arrival-jitter', 'lots'])).toThrow("--arrival-jitter expects 100ms, 80-250ms or 1.5s, got 'lots'");
  });
});
