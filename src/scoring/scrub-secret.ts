/**
 * Finding a secret (the API token) in text a server sent back, to scrub it.
 *
 * A secret of at least SCRUB_EVERYWHERE_LENGTH characters is scrubbed wherever
 * it appears, even glued to other characters: no ordinary word holds 16 given
 * characters by chance, and a real token (Cloudflare's are 40) must never leak.
 * A shorter secret (a test token such as `tok`) would match inside ordinary
 * words ("token", "invalid"): it is scrubbed only where it stands alone, not
 * between letters or digits, so messages stay readable.
 */
export const SCRUB_EVERYWHERE_LENGTH = 16;

const REDACTED = '[redacted]';

function secretPattern(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (secret.length >= SCRUB_EVERYWHERE_LENGTH) return new RegExp(escaped, 'g');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g');
}

/** Whether `text` holds the secret (as scrubSecret would find it). */
export function containsSecret(text: string, secret: string): boolean {
  return secret.length > 0 && secretPattern(secret).test(text);
}

/** `text` with every occurrence of the secret replaced by `[redacted]`. */
export function scrubSecret(text: string, secret: string): string {
  return secret.length > 0 ? text.replace(secretPattern(secret), REDACTED) : text;
}
