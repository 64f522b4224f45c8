import { describe, expect, it } from 'vitest';
import { createWorkersAiScorer } from '../src/scoring/workers-ai.js';
import { startServer } from '../src/server/index.js';
import { TestScorer } from './support/test-scorer.js';
import { ScoringError, SentimentBatchError } from '../src/errors.js';
import { cutOffBy, neverSent, REFUSED_CONNECTION, RunBudget, surelyNotBilled } from '../src/job/run-budget.js';
import { classifyTransportError } from '../src/scoring/transport-failure.js';
import { StopController } from '../src/job/stop.js';

describe('a run\'s budgets', () => {
  it('a failed request gives its neurons back; an answered one keeps them', async () => {
    const stop = new StopController();
    const budget = new RunBudget({ maxNeurons: 3 }, stop);
    (await budget.reserve(1)).release();
    (await budget.reserve(1)).release();
    (await budget.reserve(1)).keep();
    (await budget.reserve(1)).keep();
    (await budget.reserve(1)).keep();
    await expect(budget.reserve(1)).rejects.toThrow("this run's neuron budget (--max-neurons 3) would be exceeded");
    expect(stop.reason?.kind).toBe('pause');
  });

  // The pause said 'run again with a new budget to continue', read as 'raise --max-neurons': the same command continues,
  // each run with a budget of its own (docs/options.md).
  it('the pause says the same command continues, with a fresh budget', async () => {
    const budget = new RunBudget({ maxRequests: 1 }, new StopController());
    (await budget.reserve(1)).keep();
    await expect(budget.reserve(1)).rejects.toThrow(
      "this run's request budget (--max-requests 1) is used up; run the same command again to continue (each run has a budget of its own)",
    );
  });

  it('what the run already spent through another scorer counts against the same limits, named as given', async () => {
    const stop = new StopController();
    const budget = new RunBudget({ maxRequests: 250, maxNeurons: 10 }, stop, { requests: 248, neurons: 7 });
    (await budget.reserve(1)).keep();
    (await budget.reserve(1)).keep();
    await expect(budget.reserve(1)).rejects.toThrow("this run's request budget (--max-requests 250) is used up");
    const neurons = new RunBudget({ maxNeurons: 10 }, new StopController(), { requests: 0, neurons: 9.5 });
    await expect(neurons.reserve(1)).rejects.toThrow("this run's neuron budget (--max-neurons 10) would be exceeded");
  });

  it('requests in flight hold their neurons: a request that does not fit waits for them, and sends only if one fails', async () => {
    const stop = new StopController();
    const budget = new RunBudget({ maxNeurons: 2 }, stop);
    const first = await budget.reserve(1);
    const second = await budget.reserve(1);
    let third: 'waiting' | 'sent' | 'paused' = 'waiting';
    const waiting = budget.reserve(1).then(
      (reservation) => {
        third = 'sent';
        return reservation;
      },
      (error: unknown) => {
        third = error instanceof SentimentBatchError && error.code === 'budget' ? 'paused' : 'waiting';
        throw error;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBe('waiting');
    first.keep();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Still 2 neurons held (1 billed, 1 in flight): the third must not go yet.
    expect(third).toBe('waiting');
    second.release();
    (await waiting).keep();
    expect(third).toBe('sent');
    // 2 billed, nothing in flight: the next one pauses the run at once.
    await expect(budget.reserve(1)).rejects.toThrow('--max-neurons 2');
  });

  it('counts every request sent against --max-requests, failed or not', async () => {
    const budget = new RunBudget({ maxRequests: 2 }, new StopController());
    (await budget.reserve(0.5)).release();
    (await budget.reserve(0.5)).keep();
    await expect(budget.reserve(0.5)).rejects.toThrow("this run's request budget (--max-requests 2) is used up");
  });

  it('an attempt that made no connection was never sent: it counts against neither budget', async () => {
    const budget = new RunBudget({ maxRequests: 1, maxNeurons: 1 }, new StopController());
    (await budget.reserve(1)).unsent();
    (await budget.reserve(1)).unsent();
    (await budget.reserve(1)).keep();
    await expect(budget.reserve(1)).rejects.toThrow('--max-requests 1');
    expect(neverSent(new ScoringError('retry', 'network', 'Network error talking to http://h (getaddrinfo ENOTFOUND h)'))).toBe(true);
    expect(neverSent(new ScoringError('retry', 'network', 'Network error talking to http://h (read ECONNRESET)'))).toBe(false);
    expect(neverSent(new ScoringError('retry', 'http_500', 'Workers AI failed (connect ECONNREFUSED in its body)', { status: 500 }))).toBe(false);
  });

  // The HTTP client refusing to send at all (classify.ts CLIENT_BUG_CODES: an extra header undici will not write) sends
  // nothing; it was counted as sent (requests, tokens, --max-requests), as `address_space` was before it.
  it('a request the HTTP client refused to send was never sent', async () => {
    const server = await startServer({ scorer: new TestScorer() });
    try {
      const scorer = createWorkersAiScorer({ accountId: 'acct', apiToken: 'token', baseUrl: server.baseURL, headers: { 'x-extra': 'a\r\nb' } });
      const refused = await scorer.score('hello').catch((error: unknown) => error);
      expect(refused).toMatchObject({ kind: 'fatal', rowCode: 'client' });
      expect(server.stats().total).toBe(0);
      expect(neverSent(refused)).toBe(true);
      expect(surelyNotBilled(refused)).toBe(true);
    } finally {
      await server.close();
    }
  });

  // An https:// base URL on a plain-HTTP server (`serve`): the TLS handshake fails before the request is written. It was
  // counted as sent and maybe billed: `requests sent 1`, `tokens … sent with retries 17`, `up to 0.041 more` neurons.
  it('a request stopped at TLS (no TLS, or a certificate not trusted) was never sent', async () => {
    const server = await startServer({ scorer: new TestScorer() });
    try {
      const scorer = createWorkersAiScorer({ accountId: 'acct', apiToken: 'token', baseUrl: server.baseURL.replace(/^http:/, 'https:') });
      const noTls = await scorer.score('hello').catch((error: unknown) => error);
      expect(noTls).toMatchObject({ kind: 'fatal', rowCode: 'tls' });
      expect(server.stats().total).toBe(0);
      expect(neverSent(noTls)).toBe(true);
      expect(surelyNotBilled(noTls)).toBe(true);
    } finally {
      await server.close();
    }
    const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'https://api.cloudflare.com' };
    const untrusted = classifyTransportError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), context);
    expect(untrusted.rowCode).toBe('tls');
    expect(neverSent(untrusted)).toBe(true);
  });

  // HTTPS_PROXY refusing the tunnel (CONNECT answered 407 or 403): the request never reached the service.
  it('a request the proxy would not tunnel (407, 403) was never sent', () => {
    const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'https://api.cloudflare.com' };
    for (const status of [407, 403]) {
      const refused = classifyTransportError(Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' }), context);
      expect(refused.rowCode).toBe('proxy');
      expect(neverSent(refused)).toBe(true);
    }
  });

  // A proxy that cannot reach the service for now (CONNECT answered 502, 503) is retried, but no tunnel was made: the
  // request never reached the service. Before, it counted as sent and maybe billed.
  it('a request the proxy could not tunnel for now (502, 503) is retried and was never sent', () => {
    const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'https://api.cloudflare.com' };
    for (const status of [502, 503]) {
      const refused = classifyTransportError(Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' }), context);
      expect(refused.rowCode).toBe('network');
      expect(refused.kind).toBe('retry');
      expect(neverSent(refused)).toBe(true);
      expect(surelyNotBilled(refused)).toBe(true);
    }
    expect(neverSent(new ScoringError('retry', 'network', 'Network error talking to http://h (other side closed: UND_ERR_SOCKET)'))).toBe(false);
  });

  // A shutdown that cut off an attempt whose connection was still being made (scoring/abandon-on-abort.ts).
  it('an attempt aborted before its request was written was never sent', () => {
    expect(neverSent(new ScoringError('retry', 'aborted', 'aborted by shutdown before a connection was made', { unsent: true }))).toBe(true);
    expect(neverSent(new ScoringError('retry', 'aborted', 'The scoring request was aborted by shutdown before an answer arrived'))).toBe(false);
  });

  // An attempt the stop cut off in flight, when the run stopped on a TLS handshake or a proxy that refused the tunnel.
  it('an attempt cut off by a stop on tls or proxy was never sent while the service had answered none, else it may have been', () => {
    for (const rowCode of ['tls', 'proxy']) {
      const stop = new StopController();
      stop.request({ kind: 'fatal', error: new ScoringError('fatal', rowCode, `the ${rowCode} refused`) });
      expect(cutOffBy(stop, false, REFUSED_CONNECTION)).toBe(true);
      // Answered before: the service was reached through that handshake or proxy, and so may this attempt have been.
      expect(cutOffBy(stop, true, REFUSED_CONNECTION)).toBe(false);
    }
    const auth = new StopController();
    auth.request({ kind: 'fatal', error: new ScoringError('fatal', 'auth', 'token rejected', { status: 401 }) });
    expect(cutOffBy(auth, false, REFUSED_CONNECTION)).toBe(false);
    expect(cutOffBy(new StopController(), false, REFUSED_CONNECTION)).toBe(false);
  });

  it('only an error answer, or no connection at all, counts as not billed; a timeout or a cut answer may have been', () => {
    expect(surelyNotBilled(new ScoringError('retry', 'http_500', 'Workers AI failed', { status: 500 }))).toBe(true);
    expect(surelyNotBilled(new ScoringError('retry', 'rate_limited', 'slow down', { status: 429 }))).toBe(true);
    expect(surelyNotBilled(new ScoringError('retry', 'network', 'Network error talking to http://h (connect ECONNREFUSED 127.0.0.1:9)'))).toBe(true);
    expect(surelyNotBilled(new ScoringError('retry', 'network', 'Network error talking to http://h (other side closed: UND_ERR_SOCKET)'))).toBe(false);
    expect(surelyNotBilled(new ScoringError('retry', 'timeout', 'No complete answer within 30000 ms'))).toBe(false);
    expect(surelyNotBilled(new ScoringError('retry', 'bad_answer', 'The answer was cut off after 12 bytes'))).toBe(false);
    expect(surelyNotBilled(new Error('anything else'))).toBe(false);
  });
});
