import { ConfigError } from '../errors.js';
import { show } from '../config/validate.js';
import { SCRUB_EVERYWHERE_LENGTH } from './scrub-secret.js';
import { isQuoted, QUOTED_ADVICE } from './token-shape.js';

/**
 * What is wrong with a base URL, if anything: not http(s) at all (with the fix when the scheme was left out), an
 * http(s) URL with a query or fragment (`cut`: which, and the fix), or user:password in it.
 */
export type BaseUrlProblem =
  | { kind: 'not-http'; fix: string | undefined }
  | { kind: 'query'; what: string; fix: string }
  | { kind: 'credentials' };

/**
 * The one test of a Workers AI base URL, asked by the configuration (below) and by the Workers AI client of a URL
 * given to it in code. A value without a scheme (127.0.0.1:8787/client/v4) is told its fix.
 */
export function baseUrlProblem(value: string): BaseUrlProblem | undefined {
  const trimmed = value.replace(/\/+$/, '');
  // Quotes an env file kept (docker's --env-file): said as that, not as a URL to mend.
  const fix = isQuoted(trimmed) ? QUOTED_ADVICE : trimmed.includes('://') || /\s/.test(trimmed) ? undefined : `write http://${trimmed}`;
  const notHttp: BaseUrlProblem = { kind: 'not-http', fix };
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return notHttp;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return notHttp;
  if (parsed.username || parsed.password) return { kind: 'credentials' };
  // The request's path is appended to the base URL as text: a '?…' took it into the query
  // (POST /client/v4?x=1/accounts/…) and a '#…' dropped it (POST /client/v4), each scored at exit 0 by a server that
  // answers any path, until 2026-12-05.
  const cut = /[?#]/.exec(trimmed)?.[0];
  if (cut !== undefined) {
    // Said first: the URL is http(s), and "expects an http(s) URL" sent the reader to look for what was not.
    return { kind: 'query', what: cut === '?' ? "a query ('?…')" : "a fragment ('#…')", fix: `remove the '${cut}' and what follows: the request's path is added after the base URL` };
  }
  return undefined;
}

/** Said of a base URL holding user:password, which is not echoed. */
export const BASE_URL_WITH_CREDENTIALS = 'a base URL without user:password (the API token is the only credential), got one with credentials';

/**
 * --base-url, a job file's "baseUrl", CLOUDFLARE_BASE_URL: checked where the configuration is read, so that every
 * command taking it refuses the same value (estimate printed an estimate for `--base-url notaurl` and exited 0, where
 * score refused it). Returns the value as given: the client trims its trailing slashes.
 */
export function httpBaseUrl(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(`${name} expects an http(s) URL, got ${show(value)}`);
  const problem = baseUrlProblem(value);
  if (problem?.kind === 'credentials') throw new ConfigError(`${name} expects ${BASE_URL_WITH_CREDENTIALS}`);
  if (problem?.kind === 'query') throw new ConfigError(`${name} may not hold ${problem.what}, got ${show(value)}: ${problem.fix}`);
  if (problem) throw new ConfigError(`${name} expects an http(s) URL, got ${show(value)}${problem.fix ? `: ${problem.fix}` : ''}`);
  return value;
}

/** Hosts that are this machine: a request to them never crosses a network. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The start-up warning when the API token would cross a network unencrypted: a plain http:// base URL whose host is not
 * this machine (127.0.0.0/8, ::1, localhost). Not for a token shorter than 16 characters, which is no real token
 * (Cloudflare's are 40) but a stand-in's (`serve` takes any; the Compose file's `local` for `http://workers-ai:8787`):
 * a warning every start there would teach the reader to skip it.
 */
export function plainHttpWarning(baseUrl: string | undefined, apiToken: string): string | undefined {
  if (baseUrl === undefined || apiToken.length < SCRUB_EVERYWHERE_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return undefined;
  return `the base URL ${url.origin} is plain http:// to a host other than localhost: the API token crosses the network unencrypted with every request; use https://`;
}
