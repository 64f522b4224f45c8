/**
 * The secrets read (config/secret-source.ts): the API token, serve's token and HF_TOKEN,
 * so that neither the line a command ends with nor a log line (log.ts) shows them: a token pasted where another setting goes (--account-id, a job file's "accountId", a query of
 * CLOUDFLARE_BASE_URL) was quoted back whole by that setting's refusal, which names the value given. Kept here, apart
 * from the configuration, as process/error-line.ts is loaded before anything heavy (process/signals.ts).
 */
import { SCRUB_EVERYWHERE_LENGTH, scrubSecret } from '../scoring/scrub-secret.js';

const known = new Set<string>();

/**
 * A token read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_TOKEN_FILE, serve's --token, --token-file or SENTIMENT_BATCH_SERVE_TOKEN, or HF_TOKEN. One shorter than 16 characters is no
 * real token (Cloudflare's are 40, the Hub's 37) but a stand-in for `serve` (`dev`), whose word would be taken out of
 * lines that name an account id or a host of the same word: not kept.
 */
export function rememberSecret(token: string): void {
  if (token.length >= SCRUB_EVERYWHERE_LENGTH) known.add(token);
}

/** `text` with each token read written `[redacted]` (as a server's echo of it is: scrub-secret.ts). */
export function withoutKnownSecret(text: string): string {
  let out = text;
  // A plain search first: every log line passes here (log.ts), and a token of 16 characters or more is scrubbed as is.
  for (const secret of known) if (out.includes(secret)) out = scrubSecret(out, secret);
  return out;
}
