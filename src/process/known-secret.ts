/**
 * The API token, once the configuration has read it (config/resolve.ts), so that neither the line a command ends with
 * nor a log line (log.ts) shows it: a token pasted where another setting goes (--account-id, a job file's "accountId", a query of
 * CLOUDFLARE_BASE_URL) was quoted back whole by that setting's refusal, which names the value given. Kept here, apart
 * from the configuration, as process/error-line.ts is loaded before anything heavy (process/signals.ts).
 */
import { SCRUB_EVERYWHERE_LENGTH, scrubSecret } from '../scoring/scrub-secret.js';

let known: string | undefined;

/**
 * The token read from CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE. One shorter than 16 characters is no real
 * token (Cloudflare's are 40) but a stand-in for `serve` (`dev`), whose word would be taken out of lines that name an
 * account id or a host of the same word: not kept.
 */
export function rememberApiToken(token: string): void {
  if (token.length >= SCRUB_EVERYWHERE_LENGTH) known = token;
}

/** `text` with the token, when one was read, written `[redacted]` (as a server's echo of it is: scrub-secret.ts). */
export function withoutKnownSecret(text: string): string {
  // A plain search first: every log line passes here (log.ts), and a token of 16 characters or more is scrubbed as is.
  return known === undefined || !text.includes(known) ? text : scrubSecret(text, known);
}
