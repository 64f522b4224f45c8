import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { MAX_FORCED_ANSWERS } from '../src/server/fault-config.js';
import { useTestServer } from './support/server.js';

const { start } = useTestServer();

describe('control endpoints', () => {
  it('need the token when the server has one (all but /__health)', async () => {
    const s = await start({ token: 'sekret' });
    const auth = { authorization: 'Bearer sekret' };
    for (const [method, path, body] of [
      ['GET', '/__stats', undefined],
      ['POST', '/__reset', undefined],
      ['GET', '/__control/faults', undefined],
      ['POST', '/__control/faults', '{"failRate":1}'],
      ['POST', '/__control/next', '{"status":500}'],
    ] as const) {
      const refused = await request(`${s.url}${path}`, { method, ...(body ? { body } : {}) });
      expect(refused.statusCode, `${method} ${path} without the token`).toBe(401);
      expect(((await refused.body.json()) as { errors: Array<{ code: number }> }).errors[0]?.code).toBe(10000);
      const wrong = await request(`${s.url}${path}`, { method, headers: { authorization: 'Bearer nope' }, ...(body ? { body } : {}) });
      expect(wrong.statusCode, `${method} ${path} with a wrong token`).toBe(401);
      await wrong.body.dump();
    }
    // Nothing the refused calls asked for happened.
    expect(s.stats().queuedForcedAnswers).toBe(0);
    expect(s.faults().failRate).toBe(0);
    const health = await request(`${s.url}/__health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const stats = await request(`${s.url}/__stats`, { headers: auth });
    expect(stats.statusCode).toBe(200);
    await stats.body.dump();
  });

  it('stay open without a token (the local default)', async () => {
    const s = await start();
    const stats = await request(`${s.url}/__stats`);
    expect(stats.statusCode).toBe(200);
    await stats.body.dump();
  });

  it('bound the forced-answer queue and refuse oversized bodies', async () => {
    const s = await start();
    const many = JSON.stringify(Array.from({ length: MAX_FORCED_ANSWERS + 1 }, () => ({ status: 500 })));
    const tooMany = await request(`${s.url}/__control/next`, { method: 'POST', body: many });
    expect(tooMany.statusCode).toBe(413);
    expect(((await tooMany.body.json()) as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(/at most 10000 answers/);
    expect(s.stats().queuedForcedAnswers).toBe(0);

    const full = await request(`${s.url}/__control/next`, { method: 'POST', body: JSON.stringify(Array.from({ length: MAX_FORCED_ANSWERS }, () => ({}))) });
    expect(full.statusCode).toBe(200);
    await full.body.dump();
    const oneMore = await request(`${s.url}/__control/next`, { method: 'POST', body: '{"status":500}' });
    expect(oneMore.statusCode).toBe(413);
    await oneMore.body.dump();
    expect(() => s.enqueue([{ status: 500 }])).toThrow(/at most 10000 answers/);

    s.reset();
    // 340,000 small items (just under the 1 MiB body limit): refused by the bound (it used to answer 500).
    const huge = `[${Array.from({ length: 340_000 }, () => '{}').join(',')}]`;
    const refused = await request(`${s.url}/__control/next`, { method: 'POST', body: huge });
    expect(refused.statusCode).toBe(413);
    await refused.body.dump();
    // Over the body limit: refused before parsing.
    const oversized = await request(`${s.url}/__control/faults`, { method: 'POST', body: `{"rules":[],"x":"${'a'.repeat(2 << 20)}"}` });
    expect(oversized.statusCode).toBe(413);
    await oversized.body.dump();
    const notJson = await request(`${s.url}/__control/faults`, { method: 'POST', body: '{' });
    expect(notJson.statusCode).toBe(400);
    await notJson.body.dump();
  });

  it('refuse a deeply nested value with 400 naming it (its quote overflowed the stack: 500)', async () => {
    const s = await start();
    // 100,000 levels: within the body limit, parsed by JSON.parse, too deep for JSON.stringify to quote back.
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [path, body, said] of [
      ['/__control/next', `[${deep}]`, '/__control/next[0] expects an object like { "status": 500 }, got an array nested too deeply to show'],
      ['/__control/faults', `{"failRate":${deep}}`, '/__control/faults: failRate expects'],
    ] as const) {
      const refused = await request(`${s.url}${path}`, { method: 'POST', body });
      const message = ((await refused.body.json()) as { errors: Array<{ message: string }> }).errors[0]?.message;
      expect(refused.statusCode, `${path}: ${message}`).toBe(400);
      expect(message).toContain(said);
    }
    expect(s.stats().queuedForcedAnswers).toBe(0);
    expect(s.faults().failRate).toBe(0);
  });
});
