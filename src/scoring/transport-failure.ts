/**
 * Failure classification for errors the HTTP client throws (no HTTP status arrived, or a 2xx body broke off): the
 * timer, a shutdown, an untrusted or missing TLS, a proxy's refusal, a client that could not start, a network error.
 * Each becomes a `ScoringError` whose `kind` says what the job does next, as classify.ts does for an HTTP answer.
 */
import { ScoringError, errorMessage } from '../errors.js';
import { addressSpaceWords, wasmMemoryRefusal } from '../process/address-space.js';
import { shownWithin } from '../wording/shown-start.js';

/** What the client knew when a request failed below HTTP (no status to go on). */
export interface TransportContext {
  /** The attempt's own timer fired. */
  timedOut: boolean;
  timeoutMs: number;
  /** The caller's signal aborted the attempt (shutdown). */
  aborted: boolean;
  /** `body`: the status line and headers of a 2xx answer had arrived, the body had not. */
  phase: 'request' | 'body';
  bytesRead?: number;
  /** Where the request went (origin only: no path, no credentials). */
  origin: string;
  /** The proxy the request went through (HTTPS_PROXY / HTTP_PROXY): a connection that failed was the proxy's. */
  proxy?: { variable: string; address: string };
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// Errors that mean our own request was malformed: retrying cannot help.
const CLIENT_BUG_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL']);
// The server's certificate is not one this machine trusts (a TLS-inspecting proxy, a private CA, a wrong host):
// every request fails the same way until the setup changes, so retrying each row only burns time.
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
// An https:// base URL on a server that speaks plain HTTP (such as `sentiment-batch serve`).
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);

/** Classifies an error thrown by the HTTP client (no HTTP status was received or the body broke off). */
export function classifyTransportError(error: unknown, context: TransportContext): ScoringError {
  const code = errorCode(error);
  const detail = describeCause(error, code);
  if (context.aborted) {
    return new ScoringError('retry', 'aborted', 'The scoring request was aborted by shutdown before an answer arrived', {
      cause: error,
    });
  }
  if (context.timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new ScoringError(
      'retry',
      'timeout',
      `No complete answer from ${context.origin} within ${context.timeoutMs} ms (the per-attempt timeout)`,
      { cause: error },
    );
  }
  if (code !== undefined && UNTRUSTED_CERT_CODES.has(code)) {
    return new ScoringError(
      'fatal',
      'tls',
      `The TLS certificate of ${context.origin} is not trusted (${detail}): if a proxy or a private certificate authority signs it, ` +
        'give Node its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise check the base URL, then run the same command again',
      { cause: error },
    );
  }
  if (code !== undefined && NOT_TLS_CODES.has(code)) {
    return new ScoringError(
      'fatal',
      'tls',
      `${context.origin} does not answer in TLS (${detail}): check the base URL's scheme (http:// for a local server such as \`sentiment-batch serve\`), then run the same command again`,
      { cause: error },
    );
  }
  // HTTP(S)_PROXY refused the tunnel: asking for credentials (407) or forbidding the host (403) stays so for every row.
  const proxyStatus = /^Proxy response \((\d{3})\)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (proxyStatus === '407' || proxyStatus === '403') {
    const why =
      proxyStatus === '407'
        ? 'asks for credentials (407): give them in the proxy URL, HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT (percent-encoded), or check them there'
        : 'forbids it (403): ask for the host to be allowed, or name it in NO_PROXY if it is reached directly';
    return new ScoringError('fatal', 'proxy', `The proxy (HTTPS_PROXY / HTTP_PROXY) will not connect to ${context.origin}: it ${why}, then run the same command again`, {
      cause: error,
    });
  }
  // Nothing left this machine: the client could not make the parser for a connection (ulimit -v); every row would too.
  const refusal = wasmMemoryRefusal(error);
  if (refusal !== undefined) return new ScoringError('fatal', 'address_space', addressSpaceWords(refusal), { cause: error });
  if (code !== undefined && CLIENT_BUG_CODES.has(code)) {
    return new ScoringError('fatal', 'client', `The HTTP client refused to send the request to ${context.origin} (${detail}): check the base URL and extra headers`, {
      cause: error,
    });
  }
  if (context.phase === 'body') {
    return new ScoringError(
      'retry',
      'bad_answer',
      `The answer from ${context.origin} was cut off after ${context.bytesRead ?? 0} bytes (${detail})`,
      { cause: error },
    );
  }
  // ECONNRESET, ECONNREFUSED, EPIPE, ENOTFOUND, EAI_AGAIN, UND_ERR_SOCKET, UND_ERR_CONNECT_TIMEOUT and
  // anything unrecognised: retry. A permanent cause (a mistyped host) makes every row give up after its
  // attempts, and --max-errors stops the run.
  // Through a proxy, the client connects only to the proxy: name it, and the variable it comes from.
  const via = context.proxy ? ` through the proxy ${context.proxy.address} (set by ${context.proxy.variable})` : '';
  return new ScoringError('retry', 'network', `Network error talking to ${context.origin}${via} (${detail})`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isObject(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function describeCause(error: unknown, code: string | undefined): string {
  // One line: OpenSSL's messages end in a line break ('…ssl3_record.c:350:\n'), which split the summary's last line.
  const message = errorMessage(error).replace(/\s+/g, ' ').trim();
  return shownWithin(code && !message.includes(code) ? `${code}: ${message}` : message, 200);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
