import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { MODEL_ID, startServer, type RunningServer } from '../src/server/index.js';
import { useTestServer } from './support/server.js';
import { TestScorer, testScores } from './support/test-scorer.js';

const ACCOUNT = 'acc-1';
const { start } = useTestServer();

function runUrl(s: RunningServer, model = MODEL_ID, account = ACCOUNT): string {
  return `${s.baseURL}/accounts/${account}/ai/run/${model}`;
}

async function post(url: string, body: string | object, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const raw = await res.body.text();
  return { status: res.statusCode, headers: res.headers, raw, json: JSON.parse(raw) as any };
}

describe('the model endpoint', () => {
  it('answers both labels in the Cloudflare envelope, scored by the scorer, summing to 1', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.baseURL).toBe(`${s.url}/client/v4`);
    const text = 'A great and wonderful film';
    const { status, json, headers } = await post(runUrl(s), { text });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(json.success).toBe(true);
    expect(json.errors).toEqual([]);
    expect(json.messages).toEqual([]);
    const byLabel = Object.fromEntries((json.result as Array<{ label: string; score: number }>).map((r) => [r.label, r.score]));
    const expected = testScores(text);
    expect(byLabel).toEqual({ POSITIVE: expected.positive, NEGATIVE: expected.negative });
    expect(byLabel.POSITIVE! + byLabel.NEGATIVE!).toBeCloseTo(1, 12);
  });

  it('puts the most likely label first by default, and NEGATIVE first with labelOrder fixed', async () => {
    const s = await start();
    const pos = await post(runUrl(s), { text: 'great great' });
    const neg = await post(runUrl(s), { text: 'awful awful' });
    expect(pos.json.result.map((r: { label: string }) => r.label)).toEqual(['POSITIVE', 'NEGATIVE']);
    expect(neg.json.result.map((r: { label: string }) => r.label)).toEqual(['NEGATIVE', 'POSITIVE']);
    await s.close();
    const fixed = await start({ labelOrder: 'fixed' });
    const again = await post(runUrl(fixed), { text: 'great great' });
    expect(again.json.result.map((r: { label: string }) => r.label)).toEqual(['NEGATIVE', 'POSITIVE']);
  });

  it("uses the old { items: [...] } shape with resultShape 'items'", async () => {
    const s = await start({ resultShape: 'items' });
    const { json } = await post(runUrl(s), { text: 'bad' });
    expect(Array.isArray(json.result)).toBe(false);
    expect(json.result.items).toHaveLength(2);
    expect(json.result.items.map((r: { label: string }) => r.label).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
  });

  it('requires the Bearer token when started with one: 401 code 10000', async () => {
    const s = await start({ token: 'secret-token' });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'secret-token' }] as Array<Record<string, string>>) {
      const { status, json } = await post(runUrl(s), { text: 'good' }, headers);
      expect(status).toBe(401);
      expect(json).toEqual({ result: null, success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [] });
    }
    const ok = await post(runUrl(s), { text: 'good' }, { authorization: 'Bearer secret-token' });
    expect(ok.status).toBe(200);
  });

  it('answers 400 code 5007 for any other model', async () => {
    const s = await start();
    const { status, json } = await post(runUrl(s, '@cf/meta/llama-3-8b-instruct'), { text: 'good' });
    expect(status).toBe(400);
    expect(json.success).toBe(false);
    expect(json.errors[0].code).toBe(5007);
    expect(json.errors[0].message).toContain('@cf/meta/llama-3-8b-instruct');
  });

  it('answers 404 code 7000 outside the run route, and 405 to a GET', async () => {
    const s = await start();
    const notFound = await request(`${s.baseURL}/accounts/${ACCOUNT}/ai/models`);
    expect(notFound.statusCode).toBe(404);
    expect(((await notFound.body.json()) as any).errors[0].code).toBe(7000);
    const get = await request(runUrl(s));
    expect(get.statusCode).toBe(405);
    await get.body.dump();
  });

  it('answers 400 code 5006 to a body that is not JSON or not an object', async () => {
    const s = await start();
    for (const body of ['{"text": "unterminated', 'text=hello', '["good"]', 'null']) {
      const { status, json } = await post(runUrl(s), body);
      expect(status, body).toBe(400);
      expect(json.errors[0].code).toBe(5006);
      expect(json.errors[0].message).toMatch(/^AiError: Bad input: /);
    }
  });

  it('answers 400 code 5006 to missing, non-string or empty text', async () => {
    const s = await start();
    const cases: Array<[object, RegExp]> = [
      [{}, /required property 'text'/],
      [{ prompt: 'good' }, /required property 'text'/],
      [{ text: 42 }, /'number' not in 'string'/],
      [{ text: ['good', 'bad'] }, /'array' not in 'string'/],
      [{ text: null }, /'null' not in 'string'/],
      [{ text: '' }, /fewer than 1 characters/],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await post(runUrl(s), body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.errors[0].code).toBe(5006);
      expect(json.errors[0].message).toMatch(message);
    }
    expect(s.stats().tokens).toBe(0);
  });

  it('answers 413 code 3006 to a body over the limit, and keeps serving', async () => {
    const s = await start({ maxBodyBytes: 1000 });
    const big = await post(runUrl(s), { text: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].code).toBe(3006);
    const small = await post(runUrl(s), { text: 'x'.repeat(900) });
    expect(small.status).toBe(200);
  });

  it('rejects text over 512 tokens with 413 code 3006 by default', async () => {
    const s = await start();
    const fits = 'good '.repeat(510).trim(); // 510 words + [CLS] + [SEP] = 512
    const tooLong = `${fits} more`;
    expect((await post(runUrl(s), { text: fits })).status).toBe(200);
    const { status, json } = await post(runUrl(s), { text: tooLong });
    expect(status).toBe(413);
    expect(json.errors[0].code).toBe(3006);
    expect(json.errors[0].message).toContain('513 tokens');
  });

  it("scores only the first 512 tokens with longText 'truncate'", async () => {
    const scorer = new TestScorer();
    const s = await start({ scorer, longText: 'truncate' });
    const text = `${'good '.repeat(600)}terrible terrible`;
    const { status } = await post(runUrl(s), { text });
    expect(status).toBe(200);
    expect(scorer.texts[0]).toBe('good '.repeat(510).trim());
    expect(s.stats().tokens).toBe(512);
  });

  it('uses countTokens for the window and the neurons', async () => {
    const s = await start({ countTokens: (text) => text.length });
    expect((await post(runUrl(s), { text: 'abcd' })).status).toBe(200);
    expect((await post(runUrl(s), { text: 'y'.repeat(513) })).status).toBe(413);
    const stats = s.stats();
    expect(stats.tokens).toBe(4);
    expect(stats.neurons).toBeCloseTo((4 * 2394) / 1e6, 12);
  });

  it('answers 500 code 3043 when the scorer throws', async () => {
    const scorer = new TestScorer();
    scorer.score = async () => {
      throw new Error('model file missing');
    };
    const s = await start({ scorer });
    const { status, json } = await post(runUrl(s), { text: 'good' });
    expect(status).toBe(500);
    expect(json.errors[0]).toEqual({ code: 3043, message: 'Internal server error: the scorer failed: model file missing' });
  });

  it('refuses invalid options with a ConfigError', async () => {
    await expect(startServer({ scorer: new TestScorer(), rpm: 0 })).rejects.toThrow('rpm expects a positive integer, got 0');
    await expect(startServer({ scorer: new TestScorer(), failRate: 2 })).rejects.toThrow('failRate expects a number between 0 and 1, got 2');
    await expect(startServer({ scorer: new TestScorer(), failRate: 0.6, hangRate: 0.6 })).rejects.toThrow(/must be at most 1/);
    await expect(startServer({ scorer: new TestScorer(), latency: 'fast' })).rejects.toThrow(/latency expects/);
  });
});
