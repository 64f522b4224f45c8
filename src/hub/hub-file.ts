/**
 * What the Hub says about one file before it is fetched: the commit the
 * revision resolved to (X-Repo-Commit), the file's hash (X-Linked-Etag for
 * large files stored in LFS: their sha256; ETag for small ones: their git
 * blob sha1), its size, and where its bytes are (a redirect to storage).
 */
import { request, type Dispatcher } from 'undici';
import { SentimentBatchError, errorMessage } from '../errors.js';
import { madeNoConnection } from '../job/unreachable.js';
import { proxyFor } from '../net/proxy-agent.js';
import { DEFAULT_ENDPOINT } from './hub-env.js';
import { proxyGatewayWords } from './proxy-no-tunnel.js';
import { isPassingStatus, passes } from './retry-download.js';

export interface HubFileInfo {
  commit: string;
  /** sha256 (64 hex) or git blob sha1 (40 hex). */
  hash: string;
  size: number | undefined;
  /** Where to GET the bytes (the storage URL for LFS files). */
  url: string;
}

export interface HubRequest {
  endpoint: string;
  repo: string;
  revision: string;
  file: string;
  token: string | undefined;
  dispatcher: Dispatcher;
  /** How long a request may wait without a byte (default STALL_MS). */
  stallMs?: number;
}

/**
 * A request that receives nothing for this long is given up and tried again (retry-download.ts). undici's default
 * waits 300 s for the answer and 300 s between two parts of a body: a storage host that stopped sending mid-file,
 * the connection left open, held the pull five silent minutes before its retry. 30 s without a single byte is no
 * slow link (one at 100 kB/s sends 3 MB in that time); huggingface_hub's own limit (HF_HUB_DOWNLOAD_TIMEOUT) is 10 s.
 */
const STALL_MS = 30_000;

/** What a stall is said as: `no byte came for 30 s`. */
export function stallWords(r: Pick<HubRequest, 'stallMs'>): string {
  return `no byte came for ${(r.stallMs ?? STALL_MS) / 1000} s`;
}

const MAX_REDIRECTS = 5;

export function resolveUrl(r: HubRequest): string {
  return `${r.endpoint}/${r.repo}/resolve/${encodeURIComponent(r.revision)}/${r.file.split('/').map(encodeURIComponent).join('/')}`;
}

/** HEAD on the resolve URL, following redirects within the Hub, up to the answer that names the commit. */
export async function fetchFileInfo(r: HubRequest): Promise<HubFileInfo> {
  let url = resolveUrl(r);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await send(url, 'HEAD', r, {});
    await response.body.dump();
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    if (response.statusCode >= 400) throw httpError(response.statusCode, r);
    const location = header('location');
    const commit = header('x-repo-commit');
    // A redirect within the Hub (a renamed repo, its resolve cache) is followed before reading the
    // file's metadata, as huggingface_hub does; a redirect to another host is the file's storage.
    const next = response.statusCode >= 300 && response.statusCode < 400 && location ? new URL(redirectTarget(location, url, r)) : undefined;
    if (next && next.origin === new URL(url).origin) {
      url = next.href;
      continue;
    }
    if (commit) {
      const hash = cleanEtag(header('x-linked-etag') ?? header('etag'));
      if (!/^[0-9a-f]{40}$/.test(commit)) throw downloadError(`the Hub sent an unexpected X-Repo-Commit '${commit}' for ${r.file}`);
      if (!hash) throw downloadError(`the Hub sent no usable ETag for ${r.file}, so it cannot be verified`);
      const size = Number(header('x-linked-size') ?? header('content-length'));
      return { commit, hash, size: Number.isFinite(size) && size >= 0 ? size : undefined, url: next ? next.href : url };
    }
    throw downloadError(`${url} answered ${response.statusCode} without X-Repo-Commit: is HF_ENDPOINT a Hub (or a mirror of one)?`);
  }
  throw downloadError(`too many redirects resolving ${r.file}`);
}

/**
 * The URL a redirect from `from` to `location` names. One that leaves HTTP (file:, data:…) was an internal error
 * (undici's 'Invalid URL protocol', exit 1 with a stack trace); one from https:// down to http:// would send the file,
 * and the signed link to it, where anyone on the way reads them (Python's requests strips the token there as well).
 * Both are refused, as a download error naming the redirect.
 */
export function redirectTarget(location: string, from: string, r: Pick<HubRequest, 'file'>): string {
  const next = new URL(location, from);
  const said = `${new URL(from).origin} redirected ${r.file} to '${location}'`;
  if (next.protocol !== 'https:' && next.protocol !== 'http:') throw downloadError(`${said}: not an http(s) URL, which is refused; is HF_ENDPOINT a Hub (or a mirror of one)?`);
  if (next.protocol === 'http:' && new URL(from).protocol === 'https:') throw downloadError(`${said}: from https:// to plain http://, which is refused; is HF_ENDPOINT a Hub (or a mirror of one)?`);
  return next.href;
}

/** The Hub's token goes to the Hub only, never to the storage host a redirect points at. */
export function send(url: string, method: 'HEAD' | 'GET', r: HubRequest, headers: Record<string, string>): Promise<Dispatcher.ResponseData> {
  const sameHost = new URL(url).origin === new URL(r.endpoint).origin;
  const auth: Record<string, string> = r.token && sameHost ? { authorization: `Bearer ${r.token}` } : {};
  const stallMs = r.stallMs ?? STALL_MS;
  const options = { method, headers: { 'user-agent': 'sentiment-batch', ...auth, ...headers }, dispatcher: r.dispatcher, headersTimeout: stallMs, bodyTimeout: stallMs };
  return request(url, options).catch((error: unknown) => {
    // undici's 'Headers Timeout Error' said nothing of how long it waited, or that the connection was made.
    if ((error as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT') {
      throw passes(downloadError(`${new URL(url).origin} sent no answer for ${stallMs / 1000} s (the connection open); check the network, HTTPS_PROXY or HF_ENDPOINT`, error));
    }
    const detail = errorMessage(error);
    const failure = downloadError(unreachable(url, detail, r), error);
    // A connection made and then lost (reset, timed out) passes; one never made (refused, no such host, a proxy's refusal) would fail again.
    throw madeNoConnection(detail) || /^Proxy response/.test(detail) ? failure : passes(failure);
  });
}

/**
 * Why `url` could not be fetched, with what to check. Through HTTPS_PROXY / HTTP_PROXY (proxy-agent.ts) this client
 * connects only to the proxy: a connection that was never made is the proxy's, named with the variable that set it,
 * as the Workers AI client says it (scoring/transport-failure.ts, job/unreachable.ts).
 */
function unreachable(url: string, detail: string, r: Pick<HubRequest, 'endpoint' | 'file'>): string {
  const origin = new URL(url).origin;
  const proxy = proxyFor(url);
  const hub = new URL(r.endpoint).origin;
  // The storage host a file's redirect names (the Hub had answered): 'check … HF_ENDPOINT' sent the user to what was
  // fine, and said nothing of the host a firewall that lets the Hub through must also allow.
  if (!proxy && origin !== hub) {
    return (
      `cannot reach ${origin}, where the Hub ${hub} sent ${r.file} (${detail}): the Hub answered and its storage host did not: ` +
      'the storage may be down (run the same command again later), or a firewall lets the Hub through and not this host (ask for it to be allowed, or set HTTPS_PROXY)'
    );
  }
  if (!proxy) return `cannot reach ${origin} (${detail}); check the network, HTTPS_PROXY or HF_ENDPOINT`;
  // The proxy refused the tunnel: asking for credentials (407) or forbidding the host (403), as score says it (scoring/transport-failure.ts).
  const refused = /^Proxy response \((407|403)\)/.exec(detail)?.[1];
  if (refused !== undefined) {
    const why =
      refused === '407'
        ? `asks for credentials (407): give them in the proxy URL, ${proxy.variable}=http://USER:PASSWORD@HOST:PORT (percent-encoded), or check them there`
        : 'forbids it (403): ask for the host to be allowed, or name it in NO_PROXY if it is reached directly';
    return `the proxy ${proxy.address} (from ${proxy.variable}) will not connect to ${origin}: it ${why}`;
  }
  const gateway = proxyGatewayWords(detail, proxy, origin, r);
  if (gateway !== undefined) return gateway;
  if (madeNoConnection(detail)) {
    return (
      `the proxy ${proxy.address} (from ${proxy.variable}) could not be reached (${detail}) to fetch from ${origin}; ` +
      `check that the proxy is up and that ${proxy.variable} names the right one (or name the host in NO_PROXY to reach it directly)`
    );
  }
  return `cannot reach ${origin} through the proxy ${proxy.address} (set by ${proxy.variable}) (${detail}); check the network, ${proxy.variable} or HF_ENDPOINT`;
}

function cleanEtag(etag: string | undefined): string | undefined {
  const value = etag?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return value && /^([0-9a-f]{64}|[0-9a-f]{40})$/.test(value) ? value : undefined;
}

/** `url`: what answered, when it was not the Hub itself (the storage host a file's redirect points at). */
export function httpError(status: number, r: HubRequest, url?: string): SentimentBatchError {
  const what = `${r.repo}@${r.revision}/${r.file}`;
  const storage = url !== undefined && new URL(url).origin !== new URL(r.endpoint).origin ? new URL(url).origin : undefined;
  if (storage && (status === 401 || status === 403)) {
    // The storage host gets no token (send): it refuses a link the Hub signed that has expired, or a proxy forbids it.
    return downloadError(`the storage host ${storage} refused ${what} (HTTP ${status}): the Hub's link to it may have expired; run the same command again (a proxy that forbids that host would refuse it again)`);
  }
  if (status === 401 || status === 403) {
    // With HF_TOKEN set, 'needs HF_TOKEN' sent the user to set what was set: the token itself was refused.
    if (r.token) {
      return downloadError(
        `the Hub refused ${what} (HTTP ${status}) with the token in HF_TOKEN: check that the token is valid and can read this repo ` +
          '(a gated repo also needs its terms accepted on its Hub page by the token\'s account)',
      );
    }
    return downloadError(`the Hub refused ${what} (HTTP ${status}): a gated or private repo needs HF_TOKEN`);
  }
  if (status === 404) {
    if (r.endpoint === DEFAULT_ENDPOINT) return downloadError(`the Hub has no ${what} (HTTP 404): check --repo, --revision and that the repo has an ONNX export`);
    // A mirror's address with its path left out answers 404 for every file: name the mirror and the URL asked.
    return downloadError(
      `the Hub mirror ${r.endpoint} (HF_ENDPOINT) has no ${what} (HTTP 404 for ${resolveUrl(r)}): check --repo, --revision and that the repo has an ONNX export, ` +
        'and that HF_ENDPOINT is the address under which the mirror serves {repo}/resolve/{revision}/{file}',
    );
  }
  const failure = downloadError(`the Hub answered HTTP ${status} for ${what}; try again later`);
  return isPassingStatus(status) ? passes(failure) : failure;
}

export function downloadError(message: string, cause?: unknown): SentimentBatchError {
  return new SentimentBatchError('download', message, { cause });
}
