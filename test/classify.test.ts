// The classification table, exercised as a pure function (the client tests cover it over HTTP).
import { describe, expect, it } from 'vitest';
import { ExitCode, ScoringError } from '../src/errors.js';
import {
  classifyHttpFailure,
  classifyTransportError,
  describeFailure,
  parseErrorEnvelope,
  parseRetryAfterMs,
} from '../src/scoring/classify.js';

const envelope = (...codes: (number | string)[]) =>
  JSON.stringify({ result: null, success: false, errors: codes.map((code) => ({ code, message: `m${code}` })), messages: [] });

describe('classifyHttpFailure', () => {
  it.each([
    // status, codes, kind, rowCode, error code
    [429, [3021], 'retry', 'rate_limited', 'internal'],
    [429, [3040], 'retry', 'capacity', 'internal'],
    [429, [], 'retry', 'rate_limited', 'internal'],
    [429, [9999], 'retry', 'rate_limited', 'internal'],
    [429, [4006], 'pause', 'daily_quota', 'daily_quota'],
    [429, [3036], 'pause', 'daily_quota', 'daily_quota'],
    [408, [3007], 'retry', 'server_timeout', 'internal'],
    [408, [], 'retry', 'server_timeout', 'internal'],
    [400, [3008], 'retry', 'server_timeout', 'internal'],
    [500, [], 'retry', 'http_500', 'internal'],
    [502, [], 'retry', 'http_502', 'internal'],
    [504, [1234], 'retry', 'http_504', 'internal'],
    [409, [], 'retry', 'http_409', 'internal'],
    [400, [5006], 'row', 'bad_input', 'internal'],
    [400, [5004], 'row', 'bad_input', 'internal'],
    [400, [3003], 'row', 'bad_input', 'internal'],
    [413, [], 'row', 'too_large', 'internal'],
    [400, [3006], 'row', 'too_large', 'internal'],
    [400, [], 'row', 'http_400', 'internal'],
    [400, [7777], 'row', 'cf_7777', 'internal'],
    [422, [], 'row', 'http_422', 'internal'],
    [401, [], 'fatal', 'auth', 'api_auth'],
    [401, [10000], 'fatal', 'auth', 'api_auth'],
    [403, [10000], 'fatal', 'auth', 'api_auth'],
    [403, [3023], 'fatal', 'forbidden', 'api_forbidden'],
    [403, [5016], 'fatal', 'forbidden', 'api_forbidden'],
    [403, [5018], 'fatal', 'forbidden', 'api_forbidden'],
    [403, [], 'fatal', 'forbidden', 'api_forbidden'],
    [400, [5007], 'fatal', 'unknown_model', 'api_model'],
    [404, [3042], 'fatal', 'unknown_model', 'api_model'],
    [404, [], 'fatal', 'unknown_model', 'api_fatal'],
    [405, [], 'fatal', 'endpoint', 'api_fatal'],
    [301, [], 'fatal', 'endpoint', 'api_fatal'],
    [199, [], 'retry', 'http_199', 'internal'],
  ] as const)('HTTP %i %j → %s %s', (status, codes, kind, rowCode, code) => {
    const error = classifyHttpFailure({ status, body: envelope(...codes), model: 'm' });
    expect(error).toBeInstanceOf(ScoringError);
    expect(error.kind).toBe(kind);
    expect(error.rowCode).toBe(rowCode);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('finds a known code anywhere in the errors array', () => {
    const error = classifyHttpFailure({ status: 429, body: envelope(1, 4006) });
    expect([error.kind, error.cfCode]).toEqual(['pause', 4006]);
  });

  it('accepts codes sent as strings', () => {
    expect(classifyHttpFailure({ status: 429, body: envelope('3040') }).rowCode).toBe('capacity');
  });

  it('says what to fix on fatal errors', () => {
    const auth = classifyHttpFailure({ status: 401, body: envelope(10000) });
    expect(auth.message).toMatch(/^Cloudflare rejected the API token \(HTTP 401, code 10000\): check CLOUDFLARE_API_TOKEN/);
    // Cloudflare answers 401/10000 to a token without the Workers AI permission on the account asked, too (a token of
    // another account, or a right token beside a wrong account id): the line names the account id as the 403's does.
    expect(auth.message).toContain('Workers AI permission on the account in CLOUDFLARE_ACCOUNT_ID');
    expect(auth.exitCode).toBe(ExitCode.FatalApi);
    const model = classifyHttpFailure({ status: 400, body: envelope(5007), model: '@cf/x/y' });
    expect(model.message).toContain("'@cf/x/y'");
    // A typo in --model ('distilbert-sst2-int8') said only 'check the model id': the line names the model this tool is for.
    expect(model.message).toContain('check the model id (the default, @cf/huggingface/distilbert-sst-2-int8, is the model this tool reads)');
    const redirect = classifyHttpFailure({ status: 308, headers: { location: 'https://elsewhere.example/v4' } });
    expect(redirect.message).toContain('https://elsewhere.example/v4');
  });

  // A wrong account id (an email, a token or a typo pasted into CLOUDFLARE_ACCOUNT_ID): Cloudflare answers 400 with 7003
  // "Could not route to /client/v4/accounts/…/ai/run/…, perhaps your object identifier is invalid?" and 7000 "No route
  // for that URI" (as users report). Was: a row failure listed as transient, every row sent, exit 5 'the service is
  // failing: run the same command again once it answers', the account id never named.
  it('a 400 with 7003 or 7000 (no route: the account id) stops at once, naming the account id', () => {
    for (const codes of [[7003, 7000], [7000]]) {
      const error = classifyHttpFailure({ status: 400, body: envelope(...codes), model: '@cf/x/y' });
      expect([error.kind, error.rowCode, error.exitCode]).toEqual(['fatal', 'endpoint', ExitCode.FatalApi]);
      expect(error.message).toMatch(/^Cloudflare has no route for this request \(HTTP 400, code 70\d\d\): check CLOUDFLARE_ACCOUNT_ID/);
    }
    // The same code on a 404 (as users report it too) names the account id first, not the model.
    const notFound = classifyHttpFailure({ status: 404, body: envelope(7003), model: '@cf/x/y' });
    expect(notFound.message).toMatch(/^Cloudflare has no route for this request \(HTTP 404, code 7003\): check CLOUDFLARE_ACCOUNT_ID/);
    const named = classifyHttpFailure({ status: 400, body: envelope(7003), names: { token: 'CLOUDFLARE_API_TOKEN', account: '--account-id' } });
    expect(named.message).toContain('check --account-id');
  });

  // The no-route answer to the API's host alone (--base-url https://api.cloudflare.com) names the path it lacks, as the
  // bare 404 does (test/workers-ai.test.ts); one with a path does not.
  it('a no-route answer to a base URL with no path names the /client/v4 it lacks', () => {
    const bare = classifyHttpFailure({ status: 400, body: envelope(7003, 7000), baseUrl: 'https://api.cloudflare.com' });
    expect(bare.message).toContain("then the model id and the base URL: the base URL https://api.cloudflare.com has no path, and Workers AI's API (as serve) answers under /client/v4: use https://api.cloudflare.com/client/v4;");
    const withPath = classifyHttpFailure({ status: 400, body: envelope(7003, 7000), baseUrl: 'https://api.cloudflare.com/client/v4' });
    expect(withPath.message).not.toContain('has no path');
  });

  it('keeps a short excerpt of a non-JSON body', () => {
    const error = classifyHttpFailure({ status: 502, body: `<html>\n<h1>Bad Gateway</h1>${'x'.repeat(1000)}</html>` });
    expect(error.message).toContain('<html> <h1>Bad Gateway</h1>');
    expect(error.message.length).toBeLessThan(300);
  });

  it('carries Retry-After on the error', () => {
    expect(classifyHttpFailure({ status: 429, headers: { 'retry-after': '7' }, body: envelope(3021) }).retryAfterMs).toBe(7000);
    expect(classifyHttpFailure({ status: 503, headers: { 'retry-after-ms': '250' } }).retryAfterMs).toBe(250);
    expect(classifyHttpFailure({ status: 503 }).retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, 0],
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '100', 'retry-after': '9' }, 100],
    [{ 'retry-after-ms': 'soon', 'retry-after': '9' }, 9000],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-3' }, undefined],
    // A wait whose end is past the last date JavaScript can hold (year 275760) is no time to come back at: unreadable,
    // as 'soon' is. Read as a wait, the pause's "run again after <date>" threw RangeError and the run ended exit 1.
    [{ 'retry-after': '10000000000000' }, undefined],
    [{ 'retry-after-ms': '1e300', 'retry-after': '9' }, 9000],
    [{ 'ratelimit-reset': '99999999999999' }, undefined],
    [{ 'retry-after': '9999999999' }, 9_999_999_999_000],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfterMs(headers, now, 429)).toBe(expected);
  });

  it('reads the RateLimit reset only on a 429', () => {
    expect(parseRetryAfterMs({ ratelimit: '"default";r=0;t=12' }, now, 429)).toBe(12_000);
    expect(parseRetryAfterMs({ ratelimit: 'limit=100, remaining=0, reset=5' }, now, 429)).toBe(5000);
    expect(parseRetryAfterMs({ 'ratelimit-reset': '3' }, now, 429)).toBe(3000);
    expect(parseRetryAfterMs({ ratelimit: '"default";r=0;t=12' }, now, 500)).toBeUndefined();
  });
});

describe('classifyTransportError', () => {
  const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'http://127.0.0.1:1' };
  const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])('%s → retry network', (code) => {
    const error = classifyTransportError(withCode(code), context);
    expect([error.kind, error.rowCode]).toEqual(['retry', 'network']);
    expect(error.message).toContain(code);
  });

  it('finds the code on a wrapped cause', () => {
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED', 'connect ECONNREFUSED') });
    expect(classifyTransportError(wrapped, context).message).toContain('ECONNREFUSED');
  });

  it('timeouts, aborts, cut-off bodies and client bugs', () => {
    expect(classifyTransportError(withCode('UND_ERR_ABORTED'), { ...context, timedOut: true }).rowCode).toBe('timeout');
    expect(classifyTransportError(withCode('UND_ERR_HEADERS_TIMEOUT'), context).rowCode).toBe('timeout');
    expect(classifyTransportError(withCode('UND_ERR_ABORTED'), { ...context, aborted: true }).rowCode).toBe('aborted');
    const cut = classifyTransportError(withCode('UND_ERR_SOCKET'), { ...context, phase: 'body', bytesRead: 42 });
    expect([cut.kind, cut.rowCode]).toEqual(['retry', 'bad_answer']);
    expect(cut.message).toContain('42 bytes');
    expect(classifyTransportError(withCode('UND_ERR_INVALID_ARG'), context).kind).toBe('fatal');
  });
});

describe('classifyTransportError: TLS that can never succeed is fatal, not retried row after row', () => {
  const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'https://127.0.0.1:9443' };
  const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });

  it.each(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    '%s → fatal tls naming NODE_EXTRA_CA_CERTS',
    (code) => {
      const error = classifyTransportError(withCode(code, 'self-signed certificate'), context);
      expect([error.kind, error.rowCode, error.exitCode]).toEqual(['fatal', 'tls', 4]);
      expect(error.message).toMatch(new RegExp(`^The TLS certificate of https://127\\.0\\.0\\.1:9443 is not trusted \\(${code}: .*NODE_EXTRA_CA_CERTS=`));
    },
  );

  it('an https:// base URL on a plain-HTTP server says to check the scheme', () => {
    const error = classifyTransportError(withCode('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), context);
    expect([error.kind, error.rowCode]).toEqual(['fatal', 'tls']);
    expect(error.message).toContain("does not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER: wrong version number): check the base URL's scheme");
  });
});

describe('parseErrorEnvelope', () => {
  it('tolerates anything', () => {
    expect(parseErrorEnvelope(undefined)).toEqual({ codes: [], message: undefined });
    expect(parseErrorEnvelope('null')).toEqual({ codes: [], message: undefined });
    expect(parseErrorEnvelope('{"errors":"nope"}')).toEqual({ codes: [], message: undefined });
    expect(parseErrorEnvelope('{"errors":[null,{"code":1.5},{"code":3040,"message":" a\\n b "}]}')).toEqual({
      codes: [3040],
      message: 'a b',
    });
  });
});

describe('describeFailure', () => {
  it('gives the row code and a one-line message', () => {
    const error = new ScoringError('row', 'bad_input', 'line one\nline two');
    expect(describeFailure(error)).toEqual({ code: 'bad_input', message: 'line one line two' });
    expect(describeFailure(new ScoringError('row', 'x', 'y'.repeat(2000))).message.length).toBe(500);
  });

  it('a refusal the documentation names is final; any other 4xx fails the row for this run only (listed for the next)', () => {
    const transient = (status: number, codes: number[]) => describeFailure(classifyHttpFailure({ status, body: envelope(...codes) })).transient === true;
    expect(transient(400, [5006])).toBe(false);
    expect(transient(400, [5004])).toBe(false);
    expect(transient(400, [3003])).toBe(false);
    expect(transient(413, [])).toBe(false);
    expect(transient(400, [3006])).toBe(false);
    expect(transient(400, [1001])).toBe(true);
    expect(transient(400, [])).toBe(true);
    expect(transient(422, [])).toBe(true);
  });
});

describe('classifyTransportError: a proxy that refuses the tunnel', () => {
  const context = { timedOut: false, timeoutMs: 1000, aborted: false, phase: 'request' as const, origin: 'https://api.cloudflare.com' };
  // undici's ProxyAgent: a RequestAbortedError (UND_ERR_ABORTED) when CONNECT is not answered 200.
  const refused = (status: number) => Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' });

  // Was: retry network, 6 attempts a row (42 s for 20 rows), then exit 5 'the service is failing: run the same command again'.
  it('407 (credentials wanted) and 403 (host forbidden) stop at once, saying what to change', () => {
    const auth = classifyTransportError(refused(407), context);
    expect([auth.kind, auth.rowCode, auth.exitCode]).toEqual(['fatal', 'proxy', 4]);
    expect(auth.message).toContain('will not connect to https://api.cloudflare.com: it asks for credentials (407): give them in the proxy URL, HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT');
    const forbidden = classifyTransportError(refused(403), context);
    expect([forbidden.kind, forbidden.rowCode]).toEqual(['fatal', 'proxy']);
    expect(forbidden.message).toContain('forbids it (403)');
  });

  it('a proxy that cannot reach the service for now (502) is retried', () => {
    expect(classifyTransportError(refused(502), context).kind).toBe('retry');
  });

  it("keeps a cause's message on one line (OpenSSL's end in a line break)", () => {
    const error = Object.assign(new Error('803C:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:\n'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(classifyTransportError(error, { ...context, origin: 'https://127.0.0.1:8787' }).message).toContain('ssl3_record.c:350:): check the base URL');
  });
});
