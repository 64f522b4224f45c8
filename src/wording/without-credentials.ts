/**
 * A URL as a message may show it (a proxy's, Redis's): what may be a user name and password left out, up to the last
 * '@', not the first '/'. A password with a '/' in it (base64 tokens have them) ends the URL's host early, so such a
 * value does not parse as a URL and is shown as given: cut at its first '/', `http://corp:Xk9/s3cret@proxy:3128` was
 * shown whole. A path with an '@' in it loses more than the credentials, which only shortens what is shown.
 */
export function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1');
}
