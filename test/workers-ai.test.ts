// The Workers AI client against a real HTTP server on 127.0.0.1 (port 0).
// Each request's text names the scenario the server plays.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ScoringError } from '../src/errors.js';
import { describeFailure } from '../src/scoring/classify.js';
import { withRetries } from '../src/scoring/retry.js';
import { foreignAnswerCause } from '../src/job/foreign-answers.js';
import type { Outcome } from '../src/io/record.js';
import { containsSecret, scrubSecret } from '../src/scoring/scrub-secret.js';
import { httpBaseUrl } from '../src/scoring/base-url.js';
import {
  createWorkersAiScorer,
  resolveWorkersAiOptions,
  runUrl,
  type WorkersAiScorer,
} from '../src/scoring/workers-ai.js';

const TOKEN = 'tok_SECRET_9f8e7d6c5b4a';
const ACCOUNT = 'acc0123';
const MODEL = '@cf/huggingface/distilbert-sst-2-int8';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const ok = (result: unknown) => JSON.stringify({ result, success: true, errors: [], messages: [] });
const cfError = (code: number | undefined, message = 'failed') =>
  JSON.stringify({ result: null, success: false, errors: code === undefined ? [] : [{ code, message }], messages: [] });
const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
};

const scenarios: Record<string, Handler> = {
  bare: send(200, ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])),
  items: send(200, ok({ items: [{ label: 'POSITIVE', score: 0.1 }, { label: 'NEGATIVE', score: 0.9 }] })),
  // The documentation's own example sums to 0.9997.
  unnormalised: send(200, ok([{ label: 'POSITIVE', score: 0.0437 }, { label: 'NEGATIVE', score: 0.956 }])),
  // Not a softmax over the model's two labels: until 2026-12-05 rescaled to 0.5 / 0.5 and written.
  'sum-0.6': send(200, ok([{ label: 'POSITIVE', score: 0.3 }, { label: 'NEGATIVE', score: 0.3 }])),
  'third-label': send(200, ok([{ label: 'POSITIVE', score: 0.06 }, { label: 'NEGATIVE', score: 0.04 }, { label: 'NEUTRAL', score: 0.9 }])),
  'missing-label': send(200, ok([{ label: 'POSITIVE', score: 0.9 }])),
  'not-json': send(200, '<html>Bad gateway</html>', { 'content-type': 'text/html' }),
  'success-false': send(200, cfError(7000, 'odd')),
  // The documentation's bad-input code on a 200: the text's fault, as on a 400.
  'success-false-5006': send(200, cfError(5006, 'AiError: Bad input: must have required property text')),
  // Declares the full length, sends half, then drops the socket.
  truncated: (_req, res) => {
    const body = ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }]);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    res.write(body.slice(0, body.length >> 1), () => res.destroy());
  },
  // No length: the body ends "cleanly" with half a JSON document.
  'truncated-close': (_req, res) => {
    const body = ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }]);
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end(body.slice(0, body.length >> 1));
  },
  // A 200 far over any answer (an HTML page or a file served in the model's place): cut at 1 MiB by the client.
  huge: send(200, `<html>${'x'.repeat(2 << 20)}</html>`, { 'content-type': 'text/html' }),
  // The same in a language other than English: its start is read as UTF-8, as it came.
  'huge-utf8': send(200, `<html>Überlastung ${'x'.repeat(2 << 20)}</html>`, { 'content-type': 'text/html; charset=utf-8' }),
  // The answer as a gateway or proxy that compresses unasked, or labels another charset, sends it: the same answer,
  // paid for; until 2026-12-07 each was refused as "not JSON" (exit 5, every request billed, none written).
  gzip: send(200, gzipSync(ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])), { 'content-encoding': 'gzip' }),
  br: send(200, brotliCompressSync(ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])), { 'content-encoding': 'br' }),
  deflate: send(200, deflateSync(ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])), { 'content-encoding': 'deflate' }),
  'utf8-bom': send(200, `\ufeff${ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])}`),
  utf16: send(200, Buffer.from(`\ufeff${ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }])}`, 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }),
  // 1 KiB on the wire, 13 bytes over 1 MiB once inflated: the 1 MiB bound holds for what it inflates to.
  'gzip-huge': send(200, gzipSync(`<html>${'x'.repeat(1 << 20)}</html>`), { 'content-encoding': 'gzip' }),
  // 2 MiB on the wire though compressed (random bytes do not compress): cut at 1 MiB, it is said too large, not broken.
  'gzip-huge-wire': send(200, gzipSync(randomBytes(2 << 20)), { 'content-encoding': 'gzip' }),
  // The codings on two header lines (as a proxy that adds its own may send them): the same as one list, undone in turn.
  'two-encoding-lines': (_req, res) => {
    res.setHeader('content-encoding', ['deflate', 'gzip']);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(gzipSync(deflateSync(ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }]))));
  },
  'gzip-broken': send(200, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }),
  // The answer as sent, under the header of a compression undone on the way (a proxy that decompressed it and kept
  // `Content-Encoding`): the model's answer, paid for.
  'gzip-label-only': send(200, ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }]), { 'content-encoding': 'gzip' }),
  'br-label-only': send(200, ok([{ label: 'NEGATIVE', score: 0.25 }, { label: 'POSITIVE', score: 0.75 }]), { 'content-encoding': 'br' }),
  'unknown-encoding': send(200, 'whatever', { 'content-encoding': 'compress' }),
  'proto-encoding': send(200, 'whatever', { 'content-encoding': 'constructor' }),
  '401-gzip': send(401, gzipSync(cfError(10000, 'Authentication error')), { 'content-encoding': 'gzip' }),
  drop: (req) => req.socket.destroy(),
  hang: () => {},
  '500': send(500, cfError(undefined)),
  '503-html': send(503, '<html><body>Service Unavailable</body></html>', { 'content-type': 'text/html' }),
  '429-3021': send(429, cfError(3021, 'rate limited'), { 'retry-after': '2' }),
  '429-ms': send(429, cfError(3021, 'rate limited'), { 'retry-after-ms': '1500' }),
  '429-3040': send(429, cfError(3040, 'Capacity temporarily exceeded, please try again.')),
  '429-none': send(429, '{}'),
  '429-4006': send(429, cfError(4006, 'you have used up your daily free allocation of 10,000 neurons')),
  '429-3036': send(429, cfError(3036, 'daily limit')),
  '400-5006': send(400, cfError(5006, 'AiError: Bad input: must NOT have fewer than 1 characters')),
  '413-3006': send(413, cfError(3006, 'Request is too large')),
  '401-10000': send(401, cfError(10000, 'Authentication error')),
  '400-5007': send(400, cfError(5007, 'No such model')),
  '404': send(404, 'Not Found', { 'content-type': 'text/plain' }),
  // A hostile or buggy server echoing the credentials back.
  'echo-token': (req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(cfError(10000, `bad header: ${String(req.headers.authorization)}`));
  },
  // An undocumented 400 (a gateway's) that echoes the credentials: not known to be the text's fault (unsure).
  'echo-token-400': (req, res) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`gateway rejected ${String(req.headers.authorization)}`);
  },
  'echo-token-500': (req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`upstream saw ${String(req.headers.authorization)}`);
  },
};

let server: Server;
let baseUrl: string;
let connections = 0;
const seen: { method?: string; url?: string; authorization?: string; contentType?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      const text = (JSON.parse(body) as { text: string }).text;
      const handler = scenarios[text.split(':')[0]!] ?? scenarios.bare!;
      handler(req, res, body);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function scorer(extra: Partial<Parameters<typeof createWorkersAiScorer>[0]> = {}): WorkersAiScorer {
  return createWorkersAiScorer({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl, attemptTimeoutMs: 2_000, ...extra });
}

async function failure(text: string, extra: Partial<Parameters<typeof createWorkersAiScorer>[0]> = {}): Promise<ScoringError> {
  const client = scorer(extra);
  try {
    await client.score(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScoringError);
    expectNoToken(error);
    return error as ScoringError;
  } finally {
    await client.close();
  }
  throw new Error(`expected ${text} to fail`);
}

function expectNoToken(error: unknown): void {
  const e = error as ScoringError;
  expect(e.message).not.toContain(TOKEN);
  expect(JSON.stringify(e)).not.toContain(TOKEN);
  expect(inspect(e, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  expect(describeFailure(e).message).not.toContain(TOKEN);
}

describe('successful answers', () => {
  it('posts the documented request and reads a bare array', async () => {
    const client = scorer();
    const before = seen.length;
    const scores = await client.score('bare: lovely pizza');
    await client.close();
    expect(scores).toEqual({ label: 'POSITIVE', positive: 0.75, negative: 0.25 });
    const request = seen[before]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/client/v4/accounts/${ACCOUNT}/ai/run/${MODEL}`);
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.contentType).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ text: 'bare: lovely pizza' });
    expect(client.modelId).toBe(`workers-ai:${MODEL}`);
    expect(client.remote).toBe(true);
  });

  it('reads the {items} shape with labels in the other order', async () => {
    const client = scorer();
    expect(await client.score('items')).toEqual({ label: 'NEGATIVE', positive: 0.1, negative: 0.9 });
    await client.close();
  });

  it('normalises scores to sum to 1', async () => {
    const client = scorer();
    const scores = await client.score('unnormalised');
    await client.close();
    expect(scores.positive).toBeCloseTo(0.0437 / 0.9997, 12);
    expect(scores.positive + scores.negative).toBeCloseTo(1, 12);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const client = scorer();
    const before = connections;
    for (let i = 0; i < 10; i++) await client.score(`bare ${i}`);
    await client.close();
    // undici may alternate between two sockets for back-to-back requests; without keep-alive it would be 10.
    expect(connections - before).toBeLessThan(5);
    expect(client.stats()).toMatchObject({ requests: 10, succeeded: 10, rateLimited: 0 });
  });

  it('posts to {baseUrl}/{model} with the gateway template', async () => {
    const gatewayBase = baseUrl.replace('/client/v4', `/v1/${ACCOUNT}/my-gw/workers-ai`);
    const client = scorer({ baseUrl: gatewayBase, urlTemplate: '{baseUrl}/{model}' });
    const before = seen.length;
    await client.score('bare');
    await client.close();
    expect(seen[before]!.url).toBe(`/v1/${ACCOUNT}/my-gw/workers-ai/${MODEL}`);
  });
});

describe('malformed answers are retried as bad_answer', () => {
  it.each(['missing-label', 'sum-0.6', 'third-label', 'not-json', 'success-false', 'truncated', 'truncated-close'])('%s', async (text) => {
    const error = await failure(text);
    expect(error.kind).toBe('retry');
    expect(error.rowCode).toBe('bad_answer');
  });
});

describe('an answer compressed or in another charset is read as the answer', () => {
  it.each(['gzip', 'br', 'deflate', 'utf8-bom', 'utf16', 'two-encoding-lines'])('%s', async (text) => {
    const client = scorer();
    try {
      expect(await client.score(text)).toEqual({ label: 'POSITIVE', positive: 0.75, negative: 0.25 });
    } finally {
      await client.close();
    }
  });

  it.each(['gzip-label-only', 'br-label-only'])('%s: an answer labelled compressed but sent as it is', async (text) => {
    const client = scorer();
    try {
      expect(await client.score(text)).toEqual({ label: 'POSITIVE', positive: 0.75, negative: 0.25 });
    } finally {
      await client.close();
    }
  });

  it('bounds what a compressed answer inflates to, as an uncompressed one', async () => {
    const error = await failure('gzip-huge');
    expect(error).toMatchObject({ kind: 'retry', rowCode: 'bad_answer', foreignAnswer: true });
    expect(error.message).toMatch(/^Workers AI sent a malformed answer: the body is larger than 1048576 bytes \(the model's answer is about 100\) once decompressed \(Content-Encoding: gzip\), starting "<html>xxx/);
  });

  it('says a compressed answer over 1 MiB on the wire is too large', async () => {
    expect((await failure('gzip-huge-wire')).message).toMatch(/^Workers AI sent a malformed answer: the body is larger than 1048576 bytes \(the model's answer is about 100\), starting "/);
  });

  it('says why a body it cannot decompress is refused', async () => {
    expect((await failure('gzip-broken')).message).toMatch(/^Workers AI sent a malformed answer: the body could not be decompressed \(Content-Encoding: gzip\): /);
    expect((await failure('unknown-encoding')).message).toBe('Workers AI sent a malformed answer: the body is compressed as "compress" (Content-Encoding), which this client cannot read');
    expect(await failure('proto-encoding')).toMatchObject({ rowCode: 'bad_answer', message: 'Workers AI sent a malformed answer: the body is compressed as "constructor" (Content-Encoding), which this client cannot read' });
  });

  it('reads a compressed error body for its code', async () => {
    expect(await failure('401-gzip')).toMatchObject({ kind: 'fatal', status: 401, cfCode: 10000 });
  });
});

// A 200 of more than 1 MiB cannot be the model's answer (about 100 bytes): it is retried once and counts toward the stop
// that says the answers are not the model's, as every other complete answer of another shape. Until 2026-12-05 it was
// retried --max-attempts times as a network fault: 335 requests for 50 rows, then "the service is failing".
describe('an answer over 1 MiB is not the model\'s', () => {
  it('is a foreign answer, said as the others are, with how it begins', async () => {
    const error = await failure('huge');
    expect(error).toMatchObject({ kind: 'retry', rowCode: 'bad_answer', foreignAnswer: true });
    expect(error.message).toMatch(/^Workers AI sent a malformed answer: the body is larger than 1048576 bytes \(the model's answer is about 100\), starting "<html>xxx/);
    const row: Outcome = { kind: 'failed', failure: { code: error.rowCode, message: error.message, transient: true } };
    expect(foreignAnswerCause(row)).toBe(error.message);
  });

  it('quotes how it begins in its own characters, not byte by byte', async () => {
    expect((await failure('huge-utf8')).message).toContain('starting "<html>Überlastung xxx');
  });

  it('is sent twice, not --max-attempts (6) times', async () => {
    const client = scorer();
    const before = seen.length;
    try {
      await expect(withRetries(() => client.score('huge'), { maxAttempts: 6 }, { sleep: async () => {} })).rejects.toMatchObject({ kind: 'row', rowCode: 'bad_answer' });
    } finally {
      await client.close();
    }
    expect(seen.length - before).toBe(2);
  });
});

describe('a base URL with a query or fragment, given to the client in code', () => {
  // Said "Expected the base URL … to be an http(s) URL, got …", of a URL that is one.
  it.each([
    ['http://127.0.0.1:8787/client/v4?x=1', "a query ('?…')", '?'],
    ['http://127.0.0.1:8787/client/v4#v4', "a fragment ('#…')", '#'],
  ])('%s: says what is wrong first', (baseUrl, what, cut) => {
    expect(() => resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl })).toThrow(
      `Expected the base URL (--base-url, "baseUrl" in a job file, or CLOUDFLARE_BASE_URL) without ${what}, got ${JSON.stringify(baseUrl)}: remove the '${cut}' and what follows: the request's path is added after the base URL`,
    );
  });
});

describe('a 200 with success false and a bad-input code', () => {
  // Was retried as a malformed answer, 6 attempts per row: code 5006 is "bad input (schema)", "per-row error, do not retry".
  it('fails the row as bad input, not retried, as a 400 with that code', async () => {
    const error = await failure('success-false-5006');
    expect(error).toMatchObject({ kind: 'row', rowCode: 'bad_input', status: 200, cfCode: 5006, unsure: false, foreignAnswer: false });
    expect(error.message).toBe('Workers AI rejected the text as bad input (HTTP 200, code 5006); the service said: AiError: Bad input: must have required property text');
    expect(describeFailure(error).transient).toBeUndefined();
  });
});

describe('transport failures', () => {
  it('a dropped connection is a retryable network error', async () => {
    const error = await failure('drop');
    expect([error.kind, error.rowCode]).toEqual(['retry', 'network']);
  });

  it('an answer that never comes hits the per-attempt timeout', async () => {
    const client = scorer({ attemptTimeoutMs: 200 });
    const error = await client.score('hang').catch((e: unknown) => e);
    await client.close();
    expectNoToken(error);
    expect(error).toMatchObject({ kind: 'retry', rowCode: 'timeout' });
    expect((error as Error).message).toContain('200 ms');
  });

  it('the caller signal aborts an attempt without a timeout', async () => {
    const client = scorer({ attemptTimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = client.score('hang', { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error).toMatchObject({ kind: 'retry', rowCode: 'aborted' });
    // An already-aborted signal sends nothing.
    const requests = client.stats().requests;
    await expect(client.score('bare', { signal: controller.signal })).rejects.toMatchObject({ rowCode: 'aborted' });
    expect(client.stats()).toMatchObject({ requests, failedByCode: { aborted: 1 } });
    // The request had been written: it may have reached the service.
    expect((error as ScoringError).unsent).toBe(false);
    await client.close();
  });

  // A port that accepts the connection and never answers the TLS handshake (a proxy that never answers CONNECT is the
  // same to the client): undici does not end a request whose connection is being made. Before, an abort at 200 ms
  // rejected at 10.5 s (undici's connect timeout), and a timer of 300 ms as late; close() waited for it as well.
  describe('a connection still being made', () => {
    let silent: import('node:net').Server;
    let silentUrl: string;
    const held: import('node:net').Socket[] = [];
    beforeAll(async () => {
      const net = await import('node:net');
      silent = net.createServer((socket) => {
        held.push(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    // "At once": an attempt or a close() that waits for the connect waits for its backstop (the attempt's timeout and a
    // second: 10 min here), which the test's own time-out ends, however loaded the machine; not a bound on time.
    it('a stop ends the attempt at once, counted as never sent, and close() does not wait for the connect', async () => {
      const client = scorer({ baseUrl: silentUrl, attemptTimeoutMs: 600_000 });
      const controller = new AbortController();
      const pending = client.score('bare', { signal: controller.signal }).catch((e: unknown) => e);
      setTimeout(() => controller.abort(), 200);
      const error = await pending;
      expect(error).toMatchObject({ kind: 'retry', rowCode: 'aborted', unsent: true });
      expect((error as Error).message).toBe('The scoring request was aborted by shutdown before a connection was made');
      await client.close();
    });

    it('the attempt timer ends it as a connection never made', async () => {
      const client = scorer({ baseUrl: silentUrl, attemptTimeoutMs: 300 });
      const started = Date.now();
      const error = await client.score('bare').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ kind: 'retry', rowCode: 'network' });
      expect((error as Error).message).toBe(
        `Network error talking to ${silentUrl} (UND_ERR_CONNECT_TIMEOUT: no connection made within 300 ms (the per-attempt timeout))`,
      );
      await client.close();
    });
  });
});

describe('HTTP failures are classified', () => {
  it.each([
    ['500', 'retry', 'http_500', undefined],
    ['503-html', 'retry', 'http_503', undefined],
    ['429-3021', 'retry', 'rate_limited', 2000],
    ['429-ms', 'retry', 'rate_limited', 1500],
    ['429-3040', 'retry', 'capacity', undefined],
    ['429-none', 'retry', 'rate_limited', undefined],
    ['429-4006', 'pause', 'daily_quota', undefined],
    ['429-3036', 'pause', 'daily_quota', undefined],
    ['400-5006', 'row', 'bad_input', undefined],
    ['413-3006', 'row', 'too_large', undefined],
    ['401-10000', 'fatal', 'auth', undefined],
    ['400-5007', 'fatal', 'unknown_model', undefined],
    ['404', 'fatal', 'unknown_model', undefined],
  ] as const)('%s → %s %s', async (text, kind, rowCode, retryAfterMs) => {
    const error = await failure(text);
    expect(error.kind).toBe(kind);
    expect(error.rowCode).toBe(rowCode);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.status).toBe(Number(text.slice(0, 3)));
  });

  // `--base-url http://127.0.0.1:8787`, copied from serve's `listening on` line: every request 404 (serve's 7000 "No route
  // for that URI"), said as "check the model id, CLOUDFLARE_ACCOUNT_ID and the base URL", none of which names the missing path.
  it('a 404 from a base URL with no path names the /client/v4 it lacks', async () => {
    const origin = baseUrl.replace(/\/client\/v4$/, '');
    const bare = await failure('404', { baseUrl: origin });
    expect(bare.message).toContain(`: the base URL ${origin} has no path, and Workers AI's API (as serve) answers under /client/v4: use ${origin}/client/v4`);
    expect((await failure('404')).message).not.toContain('has no path');
  });

  it('daily quota pauses the job with the Paused exit code', async () => {
    const error = await failure('429-4006');
    expect(error.code).toBe('daily_quota');
    expect(error.exitCode).toBe(ExitCode.Paused);
    expect(error.message).toContain('00:00 UTC');
  });

  it('a bad token is fatal with a message that says what to fix', async () => {
    const error = await failure('401-10000');
    expect(error.code).toBe('api_auth');
    expect(error.exitCode).toBe(ExitCode.FatalApi);
    expect(error.message).toContain('HTTP 401, code 10000');
    expect(error.message).toContain('CLOUDFLARE_API_TOKEN');
  });

  it('an unknown model is fatal and names the model', async () => {
    const error = await failure('400-5007', { model: '@cf/nobody/nothing' });
    expect(error.code).toBe('api_model');
    expect(error.message).toContain('@cf/nobody/nothing');
  });

  it('a row error keeps the service message for the output', async () => {
    const error = await failure('400-5006');
    expect(describeFailure(error)).toEqual({ code: 'bad_input', message: expect.stringContaining('Bad input') });
  });

  it('counts failures in stats', async () => {
    const client = scorer();
    for (const text of ['429-3040', '429-3021', '500', '400-5006']) await client.score(text).catch(() => undefined);
    await client.close();
    expect(client.stats()).toEqual({
      requests: 4,
      succeeded: 0,
      failed: { retry: 3, row: 1, pause: 0, fatal: 0 },
      failedByCode: { capacity: 1, rate_limited: 1, http_500: 1, bad_input: 1 },
      rateLimited: 2,
    });
  });
});

describe('the API token never leaves memory', () => {
  it.each(['echo-token', 'echo-token-500'])('is scrubbed when the server echoes it (%s)', async (text) => {
    const error = await failure(text);
    expect(error.message).toContain('[redacted]');
  });

  // Scrubbed, the error is rebuilt (workers-ai.ts withoutSecret): it dropped `unsure`, so the row of a gateway's 400 that
  // echoed the token was written as refused for its text, never listed for a rerun, where the same 400 without the echo is.
  it('an undocumented 400 that echoes it stays a refusal not known to be the text\'s fault (listed for a rerun)', async () => {
    const error = await failure('echo-token-400');
    expect(error.message).toContain('[redacted]');
    expect(error).toMatchObject({ kind: 'row', status: 400, unsure: true });
    expect(describeFailure(error).transient).toBe(true);
  });

  it('a short token does not mangle ordinary words, yet is scrubbed where it stands alone', async () => {
    const rejected = await failure('401-10000', { apiToken: 'tok' });
    expect(rejected.message).toMatch(/token/);
    expect(rejected.message).not.toContain('[redacted]');
    const echoed = await failure('echo-token', { apiToken: 'tok' });
    expect(echoed.message).toContain('Bearer [redacted]');
    expect(echoed.message).not.toMatch(/(?<![A-Za-z0-9])tok(?![A-Za-z0-9])/);
    expect(echoed.message).toMatch(/token/);
  });

  it('a real-length token is scrubbed even glued to other characters', () => {
    const token = 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n';
    expect(scrubSecret(`x${token}y token=${token}`, token)).toBe('x[redacted]y token=[redacted]');
    expect(scrubSecret('tok, token, stock tok', 'tok')).toBe('[redacted], token, stock [redacted]');
    expect(containsSecret('a token', 'tok')).toBe(false);
    expect(containsSecret(`a${token}`, token)).toBe(true);
    // Characters that mean something in a regular expression are matched as themselves.
    expect(scrubSecret('key a.b*c here, aXbbc there', 'a.b*c')).toBe('key [redacted] here, aXbbc there');
  });

  it('is not quoted by option validation', () => {
    const bad = `${TOKEN}\n`;
    let thrown: unknown;
    try {
      createWorkersAiScorer({ accountId: ACCOUNT, apiToken: bad, baseUrl });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(inspect(thrown)).not.toContain(TOKEN);
  });
});

describe('options', () => {
  it('defaults to the Cloudflare API and detects an AI Gateway base URL', () => {
    const api = resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken: TOKEN });
    expect(runUrl(api).href).toBe(`https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/ai/run/${MODEL}`);
    expect(api).toMatchObject({ attemptTimeoutMs: 30_000, connections: 64 });
    const gateway = resolveWorkersAiOptions({
      accountId: ACCOUNT,
      apiToken: TOKEN,
      baseUrl: `https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/gw/workers-ai/`,
    });
    expect(runUrl(gateway).href).toBe(`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/gw/workers-ai/${MODEL}`);
  });

  // CLOUDFLARE_BASE_URL=127.0.0.1:8787/client/v4 (the scheme left out) said only 'Expected the base URL to be an
  // http(s) URL', naming neither the setting nor the fix.
  it('names the settings and the fix of a base URL without a scheme', () => {
    expect(() => resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: '127.0.0.1:8787/client/v4' })).toThrow(
      'Expected the base URL (--base-url, "baseUrl" in a job file, or CLOUDFLARE_BASE_URL) to be an http(s) URL, got "127.0.0.1:8787/client/v4": write http://127.0.0.1:8787/client/v4',
    );
    expect(() => resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: 'localhost:8787/client/v4' })).toThrow(/got "localhost:8787\/client\/v4": write http:\/\/localhost:8787\/client\/v4$/);
  });

  // A token pasted from a curl line ('Bearer …', as the Authorization header writes it) was told to "check for a stray
  // newline or quote", which it had neither of; each shape now gets its own fix, and the token is still never quoted.
  it.each([
    ['Bearer tok_SECRET_9f8e7d6c5b4a', "it begins with 'Bearer ': give the token alone, without 'Bearer ' (the request adds it)"],
    ['bearer\ttok_SECRET_9f8e7d6c5b4a', "it begins with 'Bearer ': give the token alone, without 'Bearer ' (the request adds it)"],
    ['tok_SECRET 9f8e7d6c5b4a', 'it holds a space or a tab: give the token alone, one word'],
    ['tok_SECRET_9f8e7d6c5b4a\nother', 'it holds a line break: give the token alone, on one line'],
    ['tok_SECRET_9f8e7d6c5b4a\u2019', 'it holds a character outside printable ASCII (a curly quote or a dash from a copy?): copy the token again'],
  ])('says what is wrong with an API token shaped like %j, without quoting it', (apiToken, advice) => {
    let message = '';
    try {
      resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `Expected the Cloudflare API token (CLOUDFLARE_API_TOKEN) to be printable ASCII without spaces, got a value of ${apiToken.length} characters that is not: ${advice}`,
    );
    expect(message).not.toContain('SECRET');
  });

  // CLOUDFLARE_API_TOKEN="…" in a file given to docker's --env-file (the cron and systemd examples use one) keeps the
  // quotes in the value: the token went out with them and came back 401, "check CLOUDFLARE_API_TOKEN is a valid token",
  // exit 4, with no word of the quotes; an account id in quotes was shown escaped ("\"abc\"") with no word either.
  it('names quotes around the token or the account id, which an env file kept, without quoting the token', () => {
    const said = (options: { accountId: string; apiToken: string }): string => {
      try {
        resolveWorkersAiOptions(options);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(said({ accountId: ACCOUNT, apiToken: `"${TOKEN}"` })).toBe(
      `Expected the Cloudflare API token (CLOUDFLARE_API_TOKEN) without quotes around it, got a value of ${TOKEN.length + 2} characters in quotes: ` +
        "docker's --env-file keeps quotes as part of the value (KEY=\"value\" sets the quotes too): write it bare, KEY=value",
    );
    expect(said({ accountId: ACCOUNT, apiToken: `'${TOKEN}'` })).toMatch(/in quotes: docker's --env-file keeps quotes/);
    expect(said({ accountId: ACCOUNT, apiToken: `'${TOKEN}'` })).not.toContain('SECRET');
    expect(said({ accountId: `"${ACCOUNT}"`, apiToken: TOKEN })).toBe(
      `Expected the Cloudflare account id (CLOUDFLARE_ACCOUNT_ID) to be letters, digits, '-' or '_', got "\\"${ACCOUNT}\\"": ` +
        "docker's --env-file keeps quotes as part of the value (KEY=\"value\" sets the quotes too): write it bare, KEY=value",
    );
  });

  // An email or an account's name given as the account id was refused with only the characters allowed: no word of
  // which value is wanted, nor where it is found.
  it('an account id of other characters (an email) says what the account id is and where it is shown', () => {
    expect(() => resolveWorkersAiOptions({ accountId: 'me@example.com', apiToken: TOKEN })).toThrow(
      `Expected the Cloudflare account id (CLOUDFLARE_ACCOUNT_ID) to be letters, digits, '-' or '_', got "me@example.com": ` +
        'give the Account ID of 32 hex digits that the Cloudflare dashboard shows, not an email or a name',
    );
  });

  // newuser24: a token file holding an env file's line (`CLOUDFLARE_API_TOKEN=…`, the secret copied from a .env) was
  // sent as the token: 401, exit 4, "check the token in CLOUDFLARE_API_TOKEN_FILE is a valid token", with no word of the
  // name before it. A base64 token's '=' padding (`abc=`) is no such line.
  it('a token that begins with a variable name and = (a line of an env file) says so, without quoting either', () => {
    const said = (apiToken: string, token = 'CLOUDFLARE_API_TOKEN'): string => {
      try {
        resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken, credentialNames: { account: 'CLOUDFLARE_ACCOUNT_ID', token } });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(said(`CLOUDFLARE_API_TOKEN=${TOKEN}`, 'the token in CLOUDFLARE_API_TOKEN_FILE')).toBe(
      `Expected the Cloudflare API token (the token in CLOUDFLARE_API_TOKEN_FILE) alone, got a value of ${TOKEN.length + 21} characters that begins ` +
        "with a variable's name and '=', as a line of an env file does (NAME=value): give the token alone, without the name and '='",
    );
    expect(said(`CF_TOKEN=${TOKEN}`)).toMatch(/^Expected the Cloudflare API token \(CLOUDFLARE_API_TOKEN\) alone, got a value of \d+ characters that begins with a variable's name/);
    expect(said(`CF_TOKEN=${TOKEN}`)).not.toContain('SECRET');
    expect(said(`CF_TOKEN=${TOKEN}`)).not.toContain('CF_TOKEN');
    // fuzz33: the line of an env file whose value was never filled in (`CLOUDFLARE_API_TOKEN=`) went out as the token.
    expect(said('CLOUDFLARE_API_TOKEN=', 'the token in CLOUDFLARE_API_TOKEN_FILE')).toBe(
      "Expected the Cloudflare API token (the token in CLOUDFLARE_API_TOKEN_FILE) alone, got a value of 21 characters that begins with a variable's name and '=', as a line of an env file does (NAME=value): give the token alone, without the name and '='",
    );
    expect(said('dGhpcyBpcyBhIHRva2Vu=')).toBe('accepted');
    expect(said('ABCDEF0123456789==')).toBe('accepted');
  });

  // The right id with a space after it (an env file's `KEY=value `, a copy from the dashboard) was told to give the id
  // of 32 hex digits, not an email or a name: what it was, but for the space, which the quoted value barely shows.
  it('an account id with white space around it says so, not that it is no account id', () => {
    for (const accountId of [`${'0123456789abcdef'.repeat(2)} `, `\t${'0123456789abcdef'.repeat(2)}`, `${'0123456789abcdef'.repeat(2)}\n\n `]) {
      expect(() => resolveWorkersAiOptions({ accountId, apiToken: TOKEN })).toThrow(
        `Expected the Cloudflare account id (CLOUDFLARE_ACCOUNT_ID) to be letters, digits, '-' or '_', got ${JSON.stringify(accountId)}: ` +
          'it has white space around it (a space, a tab or a line break copied with it): give the id alone',
      );
    }
  });

  // The advice named docker's --env-file for an account id in quotes wherever it came from: given to --account-id (a
  // shell line that quoted it twice) or in a job file, no env file was anywhere.
  it('an account id in quotes from --account-id or a job file: advice for where it came from, not docker\'s --env-file', () => {
    const said = (account: string): string => {
      try {
        resolveWorkersAiOptions({ accountId: `"${ACCOUNT}"`, apiToken: TOKEN, credentialNames: { account, token: 'CLOUDFLARE_API_TOKEN' } });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(said('--account-id')).toBe(
      `Expected the Cloudflare account id (--account-id) to be letters, digits, '-' or '_', got "\\"${ACCOUNT}\\"": the quotes are part of the value given (quoted twice on the command line?): give it without them`,
    );
    expect(said('"accountId" in job file /jobs/n.json')).toBe(
      `Expected the Cloudflare account id ("accountId" in job file /jobs/n.json) to be letters, digits, '-' or '_', got "\\"${ACCOUNT}\\"": the quotes are inside the JSON string: write it as "accountId": "${ACCOUNT}"`,
    );
  });

  // CLOUDFLARE_BASE_URL="http://…" from docker's --env-file: "expects an http(s) URL, got '"http://…"'", no word of why.
  it('names quotes around a base URL, which an env file kept', () => {
    expect(() => httpBaseUrl('CLOUDFLARE_BASE_URL', '"http://127.0.0.1:8787/client/v4"')).toThrow(
      `CLOUDFLARE_BASE_URL expects an http(s) URL, got '"http://127.0.0.1:8787/client/v4"': docker's --env-file keeps quotes as part of the value (KEY="value" sets the quotes too): write it bare, KEY=value`,
    );
  });

  it.each([
    [{ accountId: '' }, 'account id'],
    [{ apiToken: '' }, 'API token'],
    [{ baseUrl: 'ftp://example.com' }, 'base URL'],
    [{ baseUrl: 'not a url' }, 'base URL'],
    [{ model: 'bad model' }, 'model id'],
    [{ attemptTimeoutMs: 0 }, 'attempt timeout'],
    [{ connections: 1.5 }, 'connections'],
  ])('rejects %j', (override, mentions) => {
    expect(() => resolveWorkersAiOptions({ accountId: ACCOUNT, apiToken: TOKEN, ...override })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(mentions) }),
    );
  });
});
