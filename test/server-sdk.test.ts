import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_ID, startServer, type RunningServer } from '../src/server/index.js';
import { TestScorer, testScores } from './support/test-scorer.js';

// The official SDK pointed at the local server must work unchanged.
describe('the official cloudflare SDK against the server', () => {
  const token = 'local-test-token';
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ scorer: new TestScorer(), token });
  });
  afterAll(async () => {
    await server.close();
  });

  it('client.ai.run resolves to the result array', async () => {
    const client = new Cloudflare({ apiToken: token, baseURL: server.baseURL });
    const text = 'The best and most wonderful pizza';
    const result = (await client.ai.run(MODEL_ID, { account_id: 'acc-sdk', text })) as Array<{ label: string; score: number }>;
    const expected = testScores(text);
    expect(result).toHaveLength(2);
    expect(result.find((r) => r.label === 'POSITIVE')?.score).toBe(expected.positive);
    expect(result.find((r) => r.label === 'NEGATIVE')?.score).toBe(expected.negative);
    expect(server.stats().accounts['acc-sdk']).toMatchObject({ requests: 1, ok: 1 });
  });

  it('surfaces a wrong token as AuthenticationError (401) with code 10000', async () => {
    const client = new Cloudflare({ apiToken: 'wrong-token', baseURL: server.baseURL });
    const error = await client.ai.run(MODEL_ID, { account_id: 'acc-sdk', text: 'good' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Cloudflare.AuthenticationError);
    const apiError = error as InstanceType<typeof Cloudflare.AuthenticationError>;
    expect(apiError.status).toBe(401);
    expect(apiError.errors).toEqual([{ code: 10000, message: 'Authentication error' }]);
  });

  it('retries a 500 by its own policy and then gets the answer', async () => {
    server.reset();
    server.enqueue([{ status: 500 }]);
    const client = new Cloudflare({ apiToken: token, baseURL: server.baseURL, maxRetries: 1 });
    const result = (await client.ai.run(MODEL_ID, { account_id: 'acc-sdk', text: 'bad' })) as Array<{ label: string }>;
    expect(result.map((r) => r.label).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
    expect(server.stats().byStatus).toEqual({ '200': 1, '500': 1 });
  });
});
