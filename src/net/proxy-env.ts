import { ConfigError } from '../errors.js';
import { withoutCredentials, withoutUserInfo } from '../wording/without-credentials.js';

/**
 * The proxy variables undici's EnvHttpProxyAgent reads (lower case first, an empty value is none), checked before it
 * reads them. undici builds a proxy for each one set, whether a request will use it or not (NO_PROXY=* too), and a
 * value it cannot use was a crash with its stack trace, exit 1: `HTTPS_PROXY=notaurl` (TypeError: Invalid URL), the
 * scheme left out as curl allows, `proxy.corp:3128` (Invalid URL protocol), or a scheme it does not speak
 * (`socks5h://`, `socks4://`). Now one line naming the variable, exit 2. undici 7 speaks SOCKS5 (`socks5://`,
 * `socks://`): a run through one scored (3 rows, 3 connections through a SOCKS5 server, 2026-12-05), so it is taken.
 */
const SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks:']);
/** The schemes as a refusal lists them, from SCHEMES so that none taken is left out: `http://, https://, socks5:// or socks://`. */
const TAKEN = ((names: string[]) => `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`)([...SCHEMES].map((scheme) => `${scheme}//`));
const VARIABLES = [
  ['http_proxy', 'HTTP_PROXY'],
  ['https_proxy', 'HTTPS_PROXY'],
] as const;

export function checkProxyEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  for (const [lower, upper] of VARIABLES) {
    const variable = env[lower] !== undefined ? lower : upper;
    const value = env[variable];
    if (!value) continue;
    const problem = proxyValueProblem(value);
    if (problem) {
      throw new ConfigError(`${variable} expects a proxy URL such as http://proxy.example.com:3128, got '${withoutCredentials(value)}': ${problem}; or unset ${variable} to connect directly`);
    }
  }
}

function proxyValueProblem(value: string): string | undefined {
  const shown = withoutCredentials(value);
  const bare = /^[a-z0-9.-]+(:\d+)?\/?$/i.test(shown);
  // `proxy.corp:3128` parses as a URL of scheme 'proxy.corp:' (`user:pw@proxy.corp:3128` as one of scheme 'user:'),
  // which no client can use: curl would read it as http.
  if (bare) return `write http://${withoutUserInfo(value) === value ? '' : 'USER:PASSWORD@'}${shown} (the scheme, http:// or https://, is needed)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Shown without its credentials, the value can look like a URL: a password's '/' or '@' is then the likely cause.
    return withoutUserInfo(value) === value ? 'it is not a URL' : "it is not a URL (a password with '/' or '@' in it must be written %2F and %40)";
  }
  if (!SCHEMES.has(url.protocol)) {
    return `a ${url.protocol.replace(/:$/, '')} proxy is not supported, only an ${TAKEN} one`;
  }
  if (url.hostname === '') return 'it names no host';
  // undici takes a proxy's origin only (scheme, host, port): `http://proxy.corp:3128/proxy` (or a '?…', a '#…') was
  // its "InvalidArgumentError: invalid url" as an internal error, exit 1, before the first row.
  const after = `${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}`;
  if (after !== '') return `a proxy is named by its scheme, host and port only: remove '${withoutCredentials(after)}' after ${url.protocol}//${url.host}`;
  return undefined;
}
