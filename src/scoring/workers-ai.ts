/**
 * Workers AI REST client for the text-classification model: keep-alive
 * connections (through HTTP(S)_PROXY when set), one POST per `score()` call, its own timeout per attempt.
 * Every failure is classified once (classify.ts) into a ScoringError; retries
 * and rate limiting are the caller's (retry.ts, the limiter).
 */
import { inspect } from 'node:util';
import { ConfigError, ScoringError, type FailureKind } from '../errors.js';
import { answerScores, MAX_ANSWER_BYTES, MAX_ERROR_BODY_BYTES, readBodyWithin } from './answer-read.js';
import { bodyText } from './answer-body.js';
import { beginsWithAssignment, isQuoted, QUOTED_ADVICE, accountIdAdvice, quotedAccountAdvice, tokenShapeAdvice } from './token-shape.js';
import { classifyHttpFailure, classifyTransportError, DEFAULT_CREDENTIAL_NAMES, type CredentialNames } from './classify.js';
import type { ScoreOptions, Scorer, Scores } from './scorer.js';

import { customEndpoint, DEFAULT_BASE_URL, DEFAULT_MODEL } from './workers-ai-defaults.js';
import { BASE_URL_WITH_CREDENTIALS, baseUrlProblem } from './base-url.js';
import { containsSecret, scrubSecret } from './scrub-secret.js';
import { proxyAgent, proxyFor } from '../net/proxy-agent.js';
import { requestUntilAborted, type Abandoned, type RequestTrace } from './abandon-on-abort.js';
import { Pool } from 'undici';

const GATEWAY_HOST = 'gateway.ai.cloudflare.com';
/** `{baseUrl}`, `{accountId}` and `{model}` are replaced; used for the Cloudflare API and any compatible server. */
const API_URL_TEMPLATE = '{baseUrl}/accounts/{accountId}/ai/run/{model}';
/** AI Gateway URLs already name the account: `https://gateway.ai.cloudflare.com/v1/{account_id}/{gateway_id}/workers-ai`. */
const GATEWAY_URL_TEMPLATE = '{baseUrl}/{model}';

export interface WorkersAiOptions {
  /** Cloudflare account id (CLOUDFLARE_ACCOUNT_ID). */
  accountId: string;
  /** API token with the Workers AI permission (CLOUDFLARE_API_TOKEN). Never appears in errors. */
  apiToken: string;
  /**
   * Cloudflare API base, a compatible local server, or an AI Gateway URL
   * (`https://gateway.ai.cloudflare.com/v1/{account_id}/{gateway_id}/workers-ai`, detected by its host).
   * @default 'https://api.cloudflare.com/client/v4'
   */
  baseUrl?: string;
  /**
   * Overrides how the request URL is built from `{baseUrl}`, `{accountId}` and `{model}`.
   * @default API_URL_TEMPLATE, or GATEWAY_URL_TEMPLATE when baseUrl's host is gateway.ai.cloudflare.com
   */
  urlTemplate?: string;
  /** @default '@cf/huggingface/distilbert-sst-2-int8' */
  model?: string;
  /** Deadline of one attempt, from the call to the last byte of the answer (time queued in the pool included). @default 30000 */
  attemptTimeoutMs?: number;
  /** Keep-alive connections to the service (or the proxy); keep it ≥ the limiter's concurrency. @default 64 */
  connections?: number;
  /** Extra request headers, e.g. `cf-aig-cache-ttl` for AI Gateway. */
  headers?: Record<string, string>;
  /** How messages name the token and the account id (where the job got them). @default DEFAULT_CREDENTIAL_NAMES */
  credentialNames?: CredentialNames;
}

/** Counters since the client was created; `stats()` returns a copy. */
export interface ClientStats {
  /** Attempts started (HTTP requests sent or tried). */
  requests: number;
  succeeded: number;
  /** Failed attempts by kind. */
  failed: Record<FailureKind, number>;
  /** Failed attempts by rowCode, e.g. `{ rate_limited: 3, http_503: 1 }`. */
  failedByCode: Record<string, number>;
  /** Answers with HTTP 429, whatever their code. */
  rateLimited: number;
}

export type WorkersAiScorer = Scorer & { stats(): ClientStats };

export function createWorkersAiScorer(options: WorkersAiOptions): WorkersAiScorer {
  const settings = resolveWorkersAiOptions(options);
  const url = runUrl(settings);
  const origin = url.origin;
  const proxy = proxyFor(url);
  const path = `${url.pathname}${url.search}`;
  const token = settings.apiToken;
  const headers = {
    ...Object.fromEntries(
      Object.entries(settings.headers).filter(([name]) => !['authorization', 'content-type'].includes(name.toLowerCase())),
    ),
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // Keep-alive connections per origin; through HTTP(S)_PROXY when set (NO_PROXY honoured, this machine's addresses never proxied), as `model pull` goes: on a
  // network whose only way out is a proxy, direct requests all failed as "the service could not be reached".
  // Backstops only: the attempt's own timer below bounds the whole attempt, and ends it at an abort however far the
  // request got (abandon-on-abort.ts). These bound what a request given up on goes on doing: the connect (default
  // 10 s), the TLS handshakes, and a proxy's answer to CONNECT (its client's headers timeout, default 300 s).
  const backstopMs = settings.attemptTimeoutMs + 1_000;
  const pool = proxyAgent({
    connections: settings.connections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: backstopMs,
    bodyTimeout: backstopMs,
    connect: { timeout: backstopMs },
    proxyTls: { timeout: backstopMs },
    requestTls: { timeout: backstopMs },
    clientFactory: (proxyUrl, options) => new Pool(proxyUrl, { ...options, headersTimeout: backstopMs }),
  });
  const abandoned: Abandoned = { count: 0 };

  const stats: ClientStats = {
    requests: 0,
    succeeded: 0,
    failed: { retry: 0, row: 0, pause: 0, fatal: 0 },
    failedByCode: {},
    rateLimited: 0,
  };

  async function score(text: string, scoreOptions: ScoreOptions = {}): Promise<Scores> {
    const callerSignal = scoreOptions.signal;
    // Already stopping: send nothing and count nothing.
    if (callerSignal?.aborted) {
      throw classifyTransportError(callerSignal.reason, { timedOut: false, timeoutMs: settings.attemptTimeoutMs, aborted: true, phase: 'request', origin });
    }
    const controller = new AbortController();
    let timedOut = false;
    let phase: 'request' | 'body' = 'request';
    const read = { bytes: 0 };
    let status: number | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, settings.attemptTimeoutMs);
    // A listener rather than AbortSignal.any: no per-call signal kept alive by a long-lived caller signal.
    const onCallerAbort = () => controller.abort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const trace: RequestTrace = { written: false };
    try {
      stats.requests++;
      const response = await requestUntilAborted(pool, { origin, method: 'POST', path, headers, body: Buffer.from(JSON.stringify({ text })) }, controller.signal, trace, abandoned);
      status = response.statusCode;
      const ok = status >= 200 && status < 300;
      if (ok) phase = 'body';
      const limit = ok ? MAX_ANSWER_BYTES : MAX_ERROR_BODY_BYTES;
      // A failure status is known already: classify by it, even if its body broke off.
      const { bytes, complete } = await readBodyWithin(response.body, limit, read, () => !(ok || timedOut || callerSignal?.aborted));
      const decoded = await bodyText(bytes, response.headers, limit);
      if (!ok) {
        // A failure is classified by its status; a body that cannot be decompressed is read as it came.
        const body = 'text' in decoded ? decoded.text : bytes.toString('utf8');
        throw classifyHttpFailure({ status, headers: response.headers, body, model: settings.model, names: settings.credentialNames, baseUrl: settings.baseUrl });
      }
      const scores = answerScores(decoded, bytes, complete, status);
      stats.succeeded++;
      return scores;
    } catch (error) {
      const failure =
        error instanceof ScoringError
          ? error
          : !trace.written && (timedOut || callerSignal?.aborted === true)
            ? unconnected(error, timedOut)
            : classifyTransportError(error, {
              timedOut,
              timeoutMs: settings.attemptTimeoutMs,
              aborted: !timedOut && callerSignal?.aborted === true,
              phase,
              bytesRead: read.bytes,
              origin,
              ...(proxy ? { proxy } : {}),
            });
      stats.failed[failure.kind]++;
      stats.failedByCode[failure.rowCode] = (stats.failedByCode[failure.rowCode] ?? 0) + 1;
      if (status === 429) stats.rateLimited++;
      throw withoutSecret(failure, token);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * An attempt ended by its timer or a shutdown before its request was written: no connection was made (a connect,
   * a TLS handshake or a proxy's CONNECT still going), so nothing reached the service: a `network` failure that made
   * no connection (job/unreachable.ts), or a shutdown's `aborted` marked unsent. Both count as never sent.
   */
  function unconnected(error: unknown, timedOut: boolean): ScoringError {
    if (!timedOut) {
      return new ScoringError('retry', 'aborted', 'The scoring request was aborted by shutdown before a connection was made', { cause: error, unsent: true });
    }
    const connectTimeout = Object.assign(new Error(`no connection made within ${settings.attemptTimeoutMs} ms (the per-attempt timeout)`), {
      code: 'UND_ERR_CONNECT_TIMEOUT',
      cause: error,
    });
    return classifyTransportError(connectTimeout, { timedOut: false, timeoutMs: settings.attemptTimeoutMs, aborted: false, phase: 'request', origin, ...(proxy ? { proxy } : {}) });
  }

  return {
    modelId: `workers-ai:${settings.model}`,
    ...(customEndpoint(settings.baseUrl) !== undefined ? { endpoint: customEndpoint(settings.baseUrl) } : {}),
    remote: true,
    score,
    async close() {
      // Every attempt has ended by now: a request still open was given up on (its connection never made), and
      // close() would wait for it, up to the backstop.
      if (abandoned.count > 0) await pool.destroy();
      else await pool.close();
    },
    stats: () => ({ ...stats, failed: { ...stats.failed }, failedByCode: { ...stats.failedByCode } }),
  };
}

/** The URL one attempt posts to (after validation: exported for tests and logs; it holds no secret). */
export function runUrl(settings: Pick<WorkersAiSettings, 'baseUrl' | 'accountId' | 'model' | 'urlTemplate'>): URL {
  return new URL(
    settings.urlTemplate
      .replaceAll('{baseUrl}', settings.baseUrl)
      .replaceAll('{accountId}', encodeURIComponent(settings.accountId))
      .replaceAll('{model}', settings.model),
  );
}

/**
 * The token must never leave memory. It is not put in any message by this
 * client, but a server could echo it back in an error body: scrub the message
 * and drop a cause that mentions it. Every other detail is kept: without `unsure`, an undocumented 4xx that echoed
 * the token was written as refused for its text, never listed for a rerun (the same 4xx without the echo is).
 */
function withoutSecret(error: ScoringError, secret: string): ScoringError {
  if (!containsSecret(inspect(error, { depth: 6 }), secret)) return error;
  return new ScoringError(error.kind, error.rowCode, scrubSecret(error.message, secret), {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.cfCode !== undefined ? { cfCode: error.cfCode } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.unsure ? { unsure: true } : {}),
    ...(error.foreignAnswer ? { foreignAnswer: true } : {}),
    ...(error.unsent ? { unsent: true } : {}),
  });
}

export type WorkersAiSettings = Required<Omit<WorkersAiOptions, 'headers'>> & { headers: Record<string, string> };

/** Checks the options and fills in defaults; throws ConfigError (never quoting the token). */
export function resolveWorkersAiOptions(options: WorkersAiOptions): WorkersAiSettings {
  const { accountId, apiToken } = options;
  const credentialNames = options.credentialNames ?? DEFAULT_CREDENTIAL_NAMES;
  if (typeof accountId !== 'string' || !/^[A-Za-z0-9_-]+$/.test(accountId)) {
    throw new ConfigError(
      `Expected the Cloudflare account id (${credentialNames.account}) to be letters, digits, '-' or '_', got ${JSON.stringify(accountId)}` +
        (typeof accountId === 'string' && isQuoted(accountId) ? `: ${quotedAccountAdvice(credentialNames.account, accountId)}` : `: ${accountIdAdvice(accountId)}`),
    );
  }
  // Never echo the token, not even a part of it.
  if (typeof apiToken !== 'string' || apiToken.length === 0) {
    throw new ConfigError(`Expected a Cloudflare API token (${credentialNames.token}), got none: create one with the Workers AI permission`);
  }
  if (!/^[\x21-\x7e]+$/.test(apiToken)) {
    throw new ConfigError(
      `Expected the Cloudflare API token (${credentialNames.token}) to be printable ASCII without spaces, got a value of ${apiToken.length} characters that is not: ${tokenShapeAdvice(apiToken)}`,
    );
  }
  if (isQuoted(apiToken)) {
    throw new ConfigError(
      `Expected the Cloudflare API token (${credentialNames.token}) without quotes around it, got a value of ${apiToken.length} characters in quotes: ${credentialNames.token.includes('_FILE') ? 'write the token in the file bare, without them' : QUOTED_ADVICE}`,
    );
  }
  if (beginsWithAssignment(apiToken)) {
    throw new ConfigError(
      `Expected the Cloudflare API token (${credentialNames.token}) alone, got a value of ${apiToken.length} characters that begins with a variable's name and '=', as a line of an env file does (NAME=value): give the token alone, without the name and '='`,
    );
  }
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  // The setting is named where it may have come from; the configuration has asked the same (base-url.ts) of a
  // URL the command line, a job file or the environment gave.
  const problem = baseUrlProblem(baseUrl);
  if (problem?.kind === 'credentials') throw new ConfigError(`Expected ${BASE_URL_WITH_CREDENTIALS}`);
  if (problem?.kind === 'query') {
    throw new ConfigError(`Expected the base URL (--base-url, "baseUrl" in a job file, or CLOUDFLARE_BASE_URL) without ${problem.what}, got ${JSON.stringify(baseUrl)}: ${problem.fix}`);
  }
  if (problem) {
    throw new ConfigError(
      `Expected the base URL (--base-url, "baseUrl" in a job file, or CLOUDFLARE_BASE_URL) to be an http(s) URL, got ${JSON.stringify(baseUrl)}${problem.fix ? `: ${problem.fix}` : ''}`,
    );
  }
  const parsedBase = new URL(baseUrl);
  const model = options.model ?? DEFAULT_MODEL;
  if (!/^@?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(model)) {
    throw new ConfigError(`Expected a Workers AI model id like ${DEFAULT_MODEL}, got ${JSON.stringify(model)}`);
  }
  const urlTemplate = options.urlTemplate ?? (parsedBase.hostname === GATEWAY_HOST ? GATEWAY_URL_TEMPLATE : API_URL_TEMPLATE);
  if (!urlTemplate.includes('{model}')) {
    throw new ConfigError(`Expected the URL template to contain {model}, got ${JSON.stringify(urlTemplate)}`);
  }
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  if (!Number.isFinite(attemptTimeoutMs) || attemptTimeoutMs <= 0) {
    throw new ConfigError(`Expected the attempt timeout to be a positive number of milliseconds, got ${String(attemptTimeoutMs)}`);
  }
  const connections = options.connections ?? 64;
  if (!Number.isInteger(connections) || connections < 1) {
    throw new ConfigError(`Expected connections to be a positive integer, got ${String(connections)}`);
  }
  return { accountId, apiToken, baseUrl, urlTemplate, model, attemptTimeoutMs, connections, headers: { ...options.headers }, credentialNames };
}
