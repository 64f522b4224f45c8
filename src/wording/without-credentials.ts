/**
 * A URL as a message may show it (a proxy's, Redis's): what may be a user name and password left out, up to the last
 * '@', not the first '/'. A password with a '/' in it (base64 tokens have them) ends the URL's host early, so such a
 * value does not parse as a URL and is shown as given: cut at its first '/', `http://corp:Xk9/s3cret@proxy:3128` was
 * shown whole. A path with an '@' in it loses more than the credentials, which only shortens what is shown.
 * A query parameter named like a secret keeps its name and loses its value (withoutSecretParameters).
 */
export function withoutCredentials(value: string): string {
  return withoutSecretParameters(withoutUserInfo(value));
}

/**
 * `value` without what may be a user name and password (up to the last '@'): a value that differs from it held one, so
 * a refusal may say how to write a password with '/' or '@' in it. Not withoutCredentials' (a hidden query parameter
 * is no such password: `redis://h:port?password=…` was told to write its '/' and '@' as %2F and %40).
 */
export function withoutUserInfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1');
}

/**
 * `value` with the value of every query parameter whose name holds pass, secret, token or auth written `***`: ioredis
 * takes each query parameter of a Redis URL as a client option, so `redis://host:6379?password=…` (or
 * `sentinelPassword=…`) is a password as much as the one before the '@'.
 */
export function withoutSecretParameters(value: string): string {
  return value.replace(/([?&][^=&#]*(?:pass|secret|token|auth)[^=&#]*=)[^&#]*/gi, '$1***');
}
